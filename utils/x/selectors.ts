/**
 * Every X (x.com / twitter.com) selector the extension uses, and nowhere else.
 *
 * Only `data-testid`, ARIA roles and document structure: never React Native Web's atomic class names
 * (`css-175oi2r`, `r-…`), which change with every X release, and never localized text.
 * When X changes its pages, this file (and `page.ts`, which interprets the matches) is what gets fixed.
 *
 * Redundancy (docs/x-drift.md): everything the script looks for has at least two independent markers here — a
 * test id, an ARIA role or label, or structure (the permalink, the row of action buttons, the visible "@handle")
 * — so that one of them changing does not lose the Pay buttons. Who is paid is never decided by one of them
 * alone: `page.ts` requires the signals that name the author to agree.
 */

/** Our own marker: the host element of a Pay button carries it (docs/ARCHITECTURE.md "Test hooks"). */
export const PAY_HOST_ATTR = 'data-tweetez-payez';
export const PAY_HOST = `[${PAY_HOST_ATTR}]`;
export const PAY_HOST_TWEET = `[${PAY_HOST_ATTR}="tweet"]`;
export const PAY_HOST_PROFILE = `[${PAY_HOST_ATTR}="profile"]`;

/**
 * What may be a post, by any of three markers: the `<article>` element, the `article` role, the `tweet` test id.
 * It is a post only if it also holds its own status permalink (page.ts `parsePost`).
 */
export const POST = 'article, [role="article"], [data-testid="tweet"]';
/**
 * The cheapest of `POST`'s markers, looked for first in what X adds (utils/x/observe.ts `quick`): matching a tag
 * name costs far less than matching attributes on every element of a timeline cell. Where no element carries it
 * (X renamed the tag), `POST` is used.
 */
export const POST_QUICK = 'article';
/** The same markers: an unavailable quoted post is a nested article (CPFT `getTweetType`). */
export const ARTICLE = POST;
/** The author block; a quoted post has its own, inside `QUOTE`. Found structurally too (page.ts). */
export const USER_NAME = '[data-testid="User-Name"]';
/**
 * The avatar's wrapper: the handle-keyed container and the profile links inside it are the avatar's markers (the
 * container is looked for in the whole post when the wrapper's test id is gone).
 */
export const AVATAR_WRAPPER = '[data-testid="Tweet-User-Avatar"]';
/** The avatar is keyed by handle: `UserAvatar-Container-<handle>`. */
export const AVATAR_CONTAINER = '[data-testid^="UserAvatar-Container-"]';
export const AVATAR_CONTAINER_PREFIX = 'UserAvatar-Container-';

/** The permalink that wraps the post's `<time>`: `/<handle>/status/<id>`. */
export const TIME = 'time';
/** Links that may be a post's permalink (the second marker when its `<time>` is gone). */
export const STATUS_LINK = 'a[href*="/status/"]';
/** A quoted post is a `div[role=link]` inside the quoting post. */
export const QUOTE = 'div[role="link"]';
/** The nearest of these around an element tells which post (or quote) it belongs to. */
export const POST_OR_QUOTE = `${ARTICLE}, ${QUOTE}`;
/** The action bar (reply, repost, like, views, bookmark, share). Quotes have none. */
export const ACTION_BAR = '[role="group"]';
/** Its buttons: the row that holds them is the action bar's second marker. */
export const ACTION_BUTTONS = [
  'reply', 'retweet', 'unretweet', 'like', 'unlike', 'bookmark', 'removeBookmark',
].map((id) => `[data-testid="${id}"]`).join(', '); // prettier-ignore
/** Ads, but also video players and Follow buttons: only an *ancestor* of a post means "promoted". */
export const PLACEMENT_TRACKING = '[data-testid="placementTracking"]';
/** Who-to-follow and sidebar rows. */
export const USER_CELL = '[data-testid="UserCell"]';
export const HOVER_CARD = '[data-testid="HoverCard"]';
/** Where a post gets no Pay button: under (or being) an ad's tracking block, a user row, a hover card. */
export const NOT_IN_TIMELINE = `${PLACEMENT_TRACKING}, ${USER_CELL}, ${HOVER_CARD}`;
/**
 * A post that gets no Pay button by where it is: one of those blocks itself, or inside one of them or inside another
 * post (it is a quoted one). One `matches` walks up once for all of them.
 */
export const NOT_IN_TIMELINE_OR_NESTED = `${NOT_IN_TIMELINE}, :is(${ARTICLE}, ${NOT_IN_TIMELINE}) *`;
/** Popups, menus, hover cards and the compose modal render here. */
export const LAYERS = '#layers';

/** The signed-in user's profile link in the primary nav (`href="/<me>"`). */
export const OWN_PROFILE_LINK = 'a[data-testid="AppTabBar_Profile_Link"]';
/** Fallback for the own handle: the account switcher's avatar. */
export const ACCOUNT_SWITCHER_AVATAR = `[data-testid="SideNav_AccountSwitcher_Button"] ${AVATAR_CONTAINER}`;

/** The centre column: profile headers, timelines, the status page. */
export const PRIMARY_COLUMN = '[data-testid="primaryColumn"]';
/** The profile header's "@handle" block. */
export const PROFILE_USER_NAME = '[data-testid="UserName"]';
/** Follow / Following buttons: `<userId>-follow` and `<userId>-unfollow`. */
export const FOLLOW_BUTTON = '[data-testid$="-follow"], [data-testid$="-unfollow"]';
/**
 * The Follow button's second marker: its accessible name ends with the profile's "@handle" in every language
 * ("Follow @alice", "Suivre @alice"). `handle` must already be a valid handle.
 */
export const followButtonOf = (handle: string) => `button[aria-label$="@${handle}" i]`;
/** Only on the signed-in user's own profile, where Follow would be (test id, or its link to the editor). */
export const EDIT_PROFILE_BUTTON = '[data-testid="editProfileButton"], a[href="/settings/profile"]';
/** Anything whose appearance may mean the profile header (re-)rendered. */
export const PROFILE_HEADER_PARTS = `${PROFILE_USER_NAME}, ${FOLLOW_BUTTON}, ${EDIT_PROFILE_BUTTON}, button[aria-label*="@"]`;

/** The composer's Draft.js editors: `tweetTextarea_0`, `_1` … for threads; or any editable text box. */
export const COMPOSER_EDITOR =
  '[data-testid^="tweetTextarea_"][contenteditable="true"], [role="textbox"][contenteditable="true"]';
/** The compose / reply modal (`/compose/post`); while it is open the home inline composer stays in the DOM. */
export const DIALOG = '[role="dialog"]';
/** Draft.js blocks (one per paragraph) inside an editor. */
export const DRAFT_BLOCK = '[data-block="true"]';
/** Submit: `tweetButton` in the modal, `tweetButtonInline` inline and in the reply box. */
export const POST_BUTTON = '[data-testid="tweetButton"], [data-testid="tweetButtonInline"]';
/** Opens the `/compose/post` modal (desktop; the mobile layout has a floating button). */
export const NEW_POST_LINK =
  'a[data-testid="SideNav_NewTweet_Button"], a[data-testid="FloatingActionButtons_Tweet_Button"]';
/** A post's Reply button (opens the reply modal in `#layers`). */
export const REPLY_BUTTON = 'button[data-testid="reply"]';
