/**
 * French and English strings of the extension pages (popup, confirm window, options).
 *
 * Pure: no `browser.*` here, so components and unit tests can import it. Pages resolve the language with
 * {@link resolveLang} from the `language` setting and `browser.i18n.getUILanguage()`; injected UI on x.com
 * uses X's page language instead (content script).
 */

export type Lang = 'fr' | 'en';
export type LanguageSetting = 'auto' | Lang;

/** BCP 47 locale used for `Intl` formatting of each language. */
export const LOCALES: Record<Lang, string> = { fr: 'fr-FR', en: 'en-GB' };

/** `auto` follows the browser's UI language (French for any `fr-*`, English otherwise). */
export function resolveLang(setting: LanguageSetting | undefined, uiLanguage: string | undefined): Lang {
  if (setting === 'fr' || setting === 'en') return setting;
  return (uiLanguage ?? '').toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const en = {
  appName: 'Tweetez Payez',
  loading: 'Loading…',
  retry: 'Try again',
  close: 'Close',
  cancel: 'Cancel',
  settings: 'Settings',

  // kinds and statuses
  'kind.person': 'Person',
  'kind.association': 'Association',
  'kind.business': 'Business',
  'status.awaiting_tweet': 'Waiting for your tweet',
  'status.awaiting_confirmation': 'Needs your confirmation',
  'status.claimable': 'Held until they join',
  'status.completed': 'Completed',
  'status.canceled': 'Canceled',
  'status.refunded': 'Refunded',
  'status.failed': 'Failed',

  // errors (wallet API codes and the extension's own)
  'error.invalid_request': 'The wallet refused this request as invalid.',
  'error.unauthorized': 'Your session has ended. Please sign in again.',
  'error.forbidden': 'This action is not allowed.',
  'error.not_found': 'Not found: it may have expired or been removed.',
  'error.limit_exceeded': 'This amount is over the limit for this recipient.',
  'error.insufficient_funds': 'Insufficient funds: your available balance does not cover this amount.',
  'error.self_payment': 'You cannot pay yourself.',
  'error.recipient_invalid': 'This recipient cannot receive payments.',
  'error.idempotency_key_reused': 'This payment was already sent with different details.',
  'error.idempotency_in_flight': 'This payment is already being processed. Wait a moment.',
  'error.conflict': 'This payment has changed in the meantime. Refresh and try again.',
  'error.rate_limited': 'Too many attempts. Wait a minute and try again.',
  'error.payload_too_large': 'The request is too large.',
  'error.internal': 'The wallet server had a problem. Try again later.',
  'error.network': 'Cannot reach your wallet server.',
  'error.signed_out': 'You are signed out.',
  'error.request_expired': 'This payment request has expired or was already handled. Start again from X.',
  'error.no_target': 'This tab is not an X profile or post.',
  'error.unknown': 'Something went wrong ({code}).',

  // popup
  'popup.signInTitle': 'Sign in to your wallet',
  'popup.signInHint': 'Use the email and password of your Tweetez Payez wallet.',
  'popup.email': 'Email',
  'popup.password': 'Password',
  'popup.signIn': 'Sign in',
  'popup.signingIn': 'Signing in…',
  'popup.badCredentials': 'Wrong email or password.',
  'popup.signOut': 'Sign out',
  'popup.signedInAs': 'Signed in as {name}',
  'popup.balance': 'Balance',
  'popup.available': 'Available',
  'popup.held': 'Held',
  'popup.heldAmount': 'Held: {amount}',
  'popup.pending': 'Waiting for you',
  'popup.pendingHint':
    'Confirm a payment tweet you typed yourself, or post the tweet a payment is waiting for. Or cancel.',
  'popup.postTweet': 'Post the tweet',
  'popup.history': 'Latest payments',
  'popup.noPayments': 'No payments yet. Use the Pay button on an X profile or post.',
  'popup.to': 'To {who}',
  'popup.from': 'From {who}',
  'popup.viewTweet': 'View tweet',
  'popup.confirm': 'Confirm',
  'popup.notWrittenByUs': 'You did not make this tweet with Tweetez Payez — check the recipient.',
  'popup.composerChanged':
    'A payment tweet Tweetez Payez wrote in X was changed before it was posted. Check the amount and the recipient in X before you post it.',
  'popup.payHandle': 'Pay @{handle}',
  'popup.offlineTitle': 'Wallet unreachable',
  'popup.offline':
    'Cannot reach your wallet server at {url}. Check your connection or the server address in Settings.',
  'popup.expires': 'Expires {time}',
  'popup.signInToConfirm': 'Sign in, then go back to the payment window.',
  'popup.backToPayment': 'Back to the payment',

  // confirm window
  'confirm.title': 'Confirm a payment',
  'confirm.recipient': 'Recipient',
  'confirm.hasWallet': 'Has a Tweetez Payez wallet',
  'confirm.noWallet': 'No wallet yet',
  'confirm.noWalletExplain':
    '@{handle} has not joined Tweetez Payez and does not endorse it. Your money is held, credited to them when they open a wallet and link this X account, and refunded to you after {days} days otherwise.',
  'confirm.limit': 'Limit per payment: {amount}',
  'confirm.amount': 'Amount',
  'confirm.presets': 'Quick amounts',
  'confirm.customAmount': 'Other amount (€)',
  'confirm.customPlaceholder': 'e.g. 12.50',
  'confirm.message': 'Message (optional)',
  'confirm.messagePlaceholder': 'Thanks for lunch!',
  'confirm.mode': 'How to pay',
  'confirm.modeTweet': 'Tweet publicly',
  'confirm.modeTweetHint': 'The S-money way: a payment tweet posted from your X account.',
  'confirm.modePrivate': 'Pay privately',
  'confirm.modePrivateHint': 'No tweet. Paid at once.',
  'confirm.fee': 'Fee',
  'confirm.feeNone': 'Free',
  'confirm.feeBusiness': '{fee} business commission ({rate}) — they receive {net}',
  'confirm.tweet': 'Tweet that will be posted',
  'confirm.publicNotice': 'This tweet is public: anyone on X can see that you paid @{handle} and how much.',
  'confirm.balanceAfter': 'Balance after payment',
  'confirm.confirmTweet': 'Confirm and tweet {amount}',
  'confirm.confirmPrivate': 'Pay {amount}',
  'confirm.arming': 'Confirm becomes available a moment after this window has focus.',
  'confirm.sending': 'Sending…',
  'confirm.chooseAmount': 'Choose an amount.',
  'confirm.overLimit': 'Over the limit: at most {limit} per payment to this recipient.',
  'confirm.belowMin': 'The minimum is {min}.',
  'confirm.insufficient': 'Insufficient funds: you have {available} available.',
  'confirm.selfPayment': 'You cannot pay yourself.',
  'confirm.signedOutTitle': 'Sign in to pay',
  'confirm.signedOut': 'You are signed out of your wallet.',
  'confirm.signIn': 'Sign in',
  'confirm.filled': 'Composer filled in your X tab — press Post to pay.',
  'confirm.filledIntent': 'X opened a new post with the text — press Post to pay.',
  'confirm.fillFailed': 'Could not fill X’s composer. Post this exact text from your X account to pay:',
  'confirm.copy': 'Copy the text',
  'confirm.copied': 'Copied',
  'confirm.paymentStatus': 'Payment status',
  'confirm.privateDone': 'Paid {amount} to @{handle}.',
  'confirm.privateClaimable': '{amount} is held for @{handle} until they open a wallet.',
  'confirm.done': 'Done',

  // tweet formatter refusals
  'tweet.refused': 'This tweet cannot be posted: {reason}',
  'tweet.reason.too_long': 'it is over 280 characters. Shorten the message.',
  'tweet.reason.message_has_mention':
    'the message contains an @mention, which would change who is paid. Remove it.',
  'tweet.reason.message_has_hashtag': 'the message contains a hashtag. Remove it.',
  'tweet.reason.message_has_amount':
    'the message contains an amount, which would make the payment ambiguous. Remove it.',
  'tweet.reason.message_has_link': 'the message contains a link. Remove it.',
  'tweet.reason.hidden_characters': 'the message contains invisible or control characters. Retype it.',
  'tweet.reason.invalid_handle': 'the recipient handle is not valid.',
  'tweet.reason.invalid_amount': 'the amount is not valid.',
  'tweet.reason.other': 'the text is not valid ({reason}).',

  // amount parsing
  'amount.invalid': 'Not an amount: type e.g. {example}.',
  'amount.zero': 'The amount must be more than zero.',
  'amount.negative': 'The amount cannot be negative.',
  'amount.too_many_decimals': 'At most 2 decimals (cents).',
  'amount.too_large': 'This amount is far too large.',

  // options
  'options.title': 'Tweetez Payez settings',
  'options.server': 'Wallet server URL',
  'options.serverHint': 'Your wallet’s address. Another server asks for permission to reach it.',
  'options.serverInvalid':
    'Enter an https:// URL, e.g. https://wallet.example.com (http:// only on this computer: localhost, 127.0.0.1).',
  'options.permissionDenied': 'Permission to reach {origin} was refused: the server was not changed.',
  'options.language': 'Language',
  'options.langAuto': 'Same as the browser',
  'options.langFr': 'Français',
  'options.langEn': 'English',
  'options.defaultMode': 'Default way to pay',
  'options.presets': 'Quick amounts (1 to 6)',
  'options.presetsHint': 'Shown as buttons in the payment window.',
  'options.presetLabel': 'Quick amount {n}',
  'options.addPreset': 'Add an amount',
  'options.removePreset': 'Remove amount {n}',
  'options.presetRange': 'Between {min} and {max}.',
  'options.presetDuplicate': 'This amount is already in the list.',
  'options.presetCount': 'Keep between 1 and 6 amounts.',
  'options.save': 'Save',
  'options.saved': 'Settings saved.',
  'options.fixErrors': 'Fix the fields marked in red.',
} as const;

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;

const fr: Messages = {
  appName: 'Tweetez Payez',
  loading: 'Chargement…',
  retry: 'Réessayer',
  close: 'Fermer',
  cancel: 'Annuler',
  settings: 'Réglages',

  'kind.person': 'Particulier',
  'kind.association': 'Association',
  'kind.business': 'Entreprise',
  'status.awaiting_tweet': 'En attente de votre tweet',
  'status.awaiting_confirmation': 'À confirmer',
  'status.claimable': 'Réservé jusqu’à son inscription',
  'status.completed': 'Effectué',
  'status.canceled': 'Annulé',
  'status.refunded': 'Remboursé',
  'status.failed': 'Échoué',

  'error.invalid_request': 'Le portefeuille a refusé cette demande : elle est invalide.',
  'error.unauthorized': 'Votre session a expiré. Reconnectez-vous.',
  'error.forbidden': 'Cette action n’est pas autorisée.',
  'error.not_found': 'Introuvable : il a peut-être expiré ou été supprimé.',
  'error.limit_exceeded': 'Ce montant dépasse le plafond pour ce bénéficiaire.',
  'error.insufficient_funds': 'Solde insuffisant : votre solde disponible ne couvre pas ce montant.',
  'error.self_payment': 'Vous ne pouvez pas vous payer vous-même.',
  'error.recipient_invalid': 'Ce bénéficiaire ne peut pas recevoir de paiement.',
  'error.idempotency_key_reused': 'Ce paiement a déjà été envoyé avec d’autres informations.',
  'error.idempotency_in_flight': 'Ce paiement est déjà en cours de traitement. Patientez un instant.',
  'error.conflict': 'Ce paiement a changé entre-temps. Actualisez puis réessayez.',
  'error.rate_limited': 'Trop de tentatives. Attendez une minute puis réessayez.',
  'error.payload_too_large': 'La demande est trop volumineuse.',
  'error.internal': 'Le serveur du portefeuille a rencontré un problème. Réessayez plus tard.',
  'error.network': 'Impossible de joindre le serveur de votre portefeuille.',
  'error.signed_out': 'Vous êtes déconnecté.',
  'error.request_expired': 'Cette demande de paiement a expiré ou a déjà été traitée. Recommencez depuis X.',
  'error.no_target': 'Cet onglet n’est pas un profil ou un post X.',
  'error.unknown': 'Un problème est survenu ({code}).',

  'popup.signInTitle': 'Connectez-vous à votre portefeuille',
  'popup.signInHint': 'Utilisez l’e-mail et le mot de passe de votre portefeuille Tweetez Payez.',
  'popup.email': 'E-mail',
  'popup.password': 'Mot de passe',
  'popup.signIn': 'Se connecter',
  'popup.signingIn': 'Connexion…',
  'popup.badCredentials': 'E-mail ou mot de passe incorrect.',
  'popup.signOut': 'Se déconnecter',
  'popup.signedInAs': 'Connecté : {name}',
  'popup.balance': 'Solde',
  'popup.available': 'Disponible',
  'popup.held': 'Réservé',
  'popup.heldAmount': 'Réservé : {amount}',
  'popup.pending': 'En attente de votre action',
  'popup.pendingHint':
    'Confirmez un tweet de paiement tapé à la main, ou publiez le tweet qu’un paiement attend. Ou annulez.',
  'popup.postTweet': 'Publier le tweet',
  'popup.history': 'Derniers paiements',
  'popup.noPayments': 'Aucun paiement pour l’instant. Utilisez le bouton Payer sur un profil ou un post X.',
  'popup.to': 'À {who}',
  'popup.from': 'De {who}',
  'popup.viewTweet': 'Voir le tweet',
  'popup.confirm': 'Confirmer',
  'popup.notWrittenByUs': "Vous n'avez pas fait ce tweet avec Tweetez Payez — vérifiez le destinataire.",
  'popup.composerChanged':
    'Un tweet de paiement écrit par Tweetez Payez dans X a été modifié avant sa publication. Vérifiez le montant et le destinataire dans X avant de le publier.',
  'popup.payHandle': 'Payer @{handle}',
  'popup.offlineTitle': 'Portefeuille injoignable',
  'popup.offline':
    'Impossible de joindre le serveur de votre portefeuille ({url}). Vérifiez votre connexion ou l’adresse du serveur dans les réglages.',
  'popup.expires': 'Expire {time}',
  'popup.signInToConfirm': 'Connectez-vous, puis revenez à la fenêtre de paiement.',
  'popup.backToPayment': 'Revenir au paiement',

  'confirm.title': 'Confirmer un paiement',
  'confirm.recipient': 'Bénéficiaire',
  'confirm.hasWallet': 'A un portefeuille Tweetez Payez',
  'confirm.noWallet': 'Pas encore de portefeuille',
  'confirm.noWalletExplain':
    '@{handle} n’a pas rejoint Tweetez Payez et ne le cautionne pas. Votre argent est réservé, versé quand cette personne ouvre un portefeuille et y relie ce compte X, et vous est remboursé au bout de {days} jours sinon.',
  'confirm.limit': 'Plafond par paiement : {amount}',
  'confirm.amount': 'Montant',
  'confirm.presets': 'Montants rapides',
  'confirm.customAmount': 'Autre montant (€)',
  'confirm.customPlaceholder': 'ex. 12,50',
  'confirm.message': 'Message (facultatif)',
  'confirm.messagePlaceholder': 'Merci pour le déjeuner !',
  'confirm.mode': 'Comment payer',
  'confirm.modeTweet': 'Tweeter publiquement',
  'confirm.modeTweetHint': 'À la manière de S-money : un tweet de paiement publié depuis votre compte X.',
  'confirm.modePrivate': 'Payer en privé',
  'confirm.modePrivateHint': 'Sans tweet. Payé immédiatement.',
  'confirm.fee': 'Frais',
  'confirm.feeNone': 'Gratuit',
  'confirm.feeBusiness': 'Commission entreprise de {fee} ({rate}) — elle reçoit {net}',
  'confirm.tweet': 'Tweet qui sera publié',
  'confirm.publicNotice':
    'Ce tweet est public : tout le monde sur X peut voir que vous avez payé @{handle} et combien.',
  'confirm.balanceAfter': 'Solde après paiement',
  'confirm.confirmTweet': 'Confirmer et tweeter {amount}',
  'confirm.confirmPrivate': 'Payer {amount}',
  'confirm.arming': 'Le bouton Confirmer s’active un instant après que cette fenêtre a le focus.',
  'confirm.sending': 'Envoi…',
  'confirm.chooseAmount': 'Choisissez un montant.',
  'confirm.overLimit': 'Au-delà du plafond : {limit} au maximum par paiement pour ce bénéficiaire.',
  'confirm.belowMin': 'Le minimum est {min}.',
  'confirm.insufficient': 'Solde insuffisant : vous avez {available} disponibles.',
  'confirm.selfPayment': 'Vous ne pouvez pas vous payer vous-même.',
  'confirm.signedOutTitle': 'Connectez-vous pour payer',
  'confirm.signedOut': 'Vous êtes déconnecté de votre portefeuille.',
  'confirm.signIn': 'Se connecter',
  'confirm.filled': 'Rédaction remplie dans votre onglet X — appuyez sur Poster pour payer.',
  'confirm.filledIntent': 'X a ouvert un nouveau post avec le texte — appuyez sur Poster pour payer.',
  'confirm.fillFailed':
    'Impossible de remplir la rédaction de X. Publiez exactement ce texte depuis votre compte X pour payer :',
  'confirm.copy': 'Copier le texte',
  'confirm.copied': 'Copié',
  'confirm.paymentStatus': 'État du paiement',
  'confirm.privateDone': '{amount} payés à @{handle}.',
  'confirm.privateClaimable': '{amount} réservés pour @{handle} jusqu’à l’ouverture de son portefeuille.',
  'confirm.done': 'Terminé',

  'tweet.refused': 'Ce tweet ne peut pas être publié : {reason}',
  'tweet.reason.too_long': 'il dépasse 280 caractères. Raccourcissez le message.',
  'tweet.reason.message_has_mention':
    'le message contient une @mention, qui changerait le bénéficiaire. Retirez-la.',
  'tweet.reason.message_has_hashtag': 'le message contient un hashtag. Retirez-le.',
  'tweet.reason.message_has_amount':
    'le message contient un montant, ce qui rendrait le paiement ambigu. Retirez-le.',
  'tweet.reason.message_has_link': 'le message contient un lien. Retirez-le.',
  'tweet.reason.hidden_characters':
    'le message contient des caractères invisibles ou de contrôle. Retapez-le.',
  'tweet.reason.invalid_handle': 'le nom du bénéficiaire n’est pas valide.',
  'tweet.reason.invalid_amount': 'le montant n’est pas valide.',
  'tweet.reason.other': 'le texte n’est pas valide ({reason}).',

  'amount.invalid': 'Montant invalide : tapez par ex. {example}.',
  'amount.zero': 'Le montant doit être supérieur à zéro.',
  'amount.negative': 'Le montant ne peut pas être négatif.',
  'amount.too_many_decimals': 'Deux décimales au plus (centimes).',
  'amount.too_large': 'Ce montant est beaucoup trop élevé.',

  'options.title': 'Réglages de Tweetez Payez',
  'options.server': 'Adresse du serveur du portefeuille',
  'options.serverHint':
    'L’adresse de votre portefeuille. Un autre serveur demande l’autorisation de le joindre.',
  'options.serverInvalid':
    'Saisissez une URL https://, par ex. https://wallet.example.com (http:// seulement sur cet ordinateur : localhost, 127.0.0.1).',
  'options.permissionDenied': 'L’autorisation de joindre {origin} a été refusée : le serveur n’a pas changé.',
  'options.language': 'Langue',
  'options.langAuto': 'Celle du navigateur',
  'options.langFr': 'Français',
  'options.langEn': 'English',
  'options.defaultMode': 'Mode de paiement par défaut',
  'options.presets': 'Montants rapides (1 à 6)',
  'options.presetsHint': 'Affichés en boutons dans la fenêtre de paiement.',
  'options.presetLabel': 'Montant rapide {n}',
  'options.addPreset': 'Ajouter un montant',
  'options.removePreset': 'Retirer le montant {n}',
  'options.presetRange': 'Entre {min} et {max}.',
  'options.presetDuplicate': 'Ce montant est déjà dans la liste.',
  'options.presetCount': 'Gardez entre 1 et 6 montants.',
  'options.save': 'Enregistrer',
  'options.saved': 'Réglages enregistrés.',
  'options.fixErrors': 'Corrigez les champs signalés en rouge.',
};

export const MESSAGES: Record<Lang, Messages> = { en, fr };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Look up `key` in `lang` and substitute `{name}` placeholders (values are inserted as plain text). */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const text = MESSAGES[lang][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** A translator bound to one language. */
export function translator(lang: Lang): Translate {
  return (key, params) => translate(lang, key, params);
}

/** Words for an error code from the wallet API or the background (unknown codes stay readable). */
export function errorText(t: Translate, code: string): string {
  const key = `error.${code}` as MessageKey;
  return key in en ? t(key) : t('error.unknown', { code });
}

/** What every presentational component needs to speak the user's language. */
export interface I18n {
  lang: Lang;
  t: Translate;
  /** Display an amount of integer cents in the user's locale (e.g. "12,50 €"). */
  money: (cents: number) => string;
  /** Display a date and time in the user's locale. */
  date: (iso: string) => string;
}

/** Build the I18n value of a page; `money` comes from core/money.ts (pages wire it). */
export function makeI18n(lang: Lang, money: (cents: number, lang: Lang) => string): I18n {
  const fmt = new Intl.DateTimeFormat(LOCALES[lang], {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
  return {
    lang,
    t: translator(lang),
    money: (cents) => money(cents, lang),
    date: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? '' : fmt.format(d);
    },
  };
}

/** Words for a refusal of core/money.ts `parseAmount` (reason codes without their own text get an example). */
export function amountErrorText(t: Translate, reason: string, lang: Lang): string {
  const key = `amount.${reason}` as MessageKey;
  if (reason !== 'invalid' && key in en) return t(key);
  return t('amount.invalid', { example: lang === 'fr' ? '12,50' : '12.50' });
}
