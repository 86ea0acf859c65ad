/**
 * English: every word the extension says, in two sections so each bundle takes only its own: `messages` (the
 * extension pages: popup, confirm window, options) and `notices` (the background's notifications). The content
 * script keeps its own few labels (entrypoints/x.content/pay-button.ts) for its size budget.
 * `{name}` placeholders are filled by utils/i18n.ts.
 */

export const messages = {
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
  'xlink.title': 'X account',
  'xlink.linkedAs': 'Linked as @{handle}',
  'xlink.none': 'Link your X account to pay by tweet and to receive the payments sent to your handle.',
  'xlink.link': 'Link your X account',
  'xlink.waiting': 'Finish on X in the tab that just opened. Waiting for X…',
  'xlink.timeout': 'X did not confirm the link. Try again.',
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
  'popup.paused':
    'X changed its page; Pay buttons are paused here — you can still pay the profile in this tab from here.',
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

export type MessageKey = keyof typeof messages;
export type Messages = Record<MessageKey, string>;

/** The notifications the background shows when a payment changes: [title, message] ({amount}, {to}, {from} filled in). */
export const notices = {
  received: ['Payment received', '{from} paid you {amount}.'],
  completed: ['Payment completed', '{amount} paid to {to}.'],
  claimable: [
    'Payment waiting for the recipient',
    '{to} has no wallet yet: {amount} are held until they open one (refunded otherwise).',
  ],
  refunded: ['Payment refunded', '{amount} for {to} came back to you.'],
  failed: ['Payment failed', 'The payment of {amount} to {to} failed.'],
  awaiting_confirmation: ['Payment to confirm', 'Confirm or cancel {amount} to {to} in Tweetez Payez.'],
} as const;

export type NoticeEvent = keyof typeof notices;
