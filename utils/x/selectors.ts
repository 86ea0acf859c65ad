/**
 * Every X (x.com / twitter.com) selector the extension uses, and nowhere else.
 *
 * Only `data-testid`, ARIA roles and document structure: never React Native Web's atomic class names
 * (`css-175oi2r`, `r-…`), which change with every X release, and never localized text.
 * When X changes its pages, this file (and `page.ts`, which interprets the matches) is what gets fixed.
 */

/** Our own marker: the host element of a Pay button carries it (docs/ARCHITECTURE.md "Test hooks"). */
export const PAY_HOST_ATTR = 'data-tweetez-payez';
export const PAY_HOST = `[${PAY_HOST_ATTR}]`;
export const PAY_HOST_TWEET = `[${PAY_HOST_ATTR}="tweet"]`;
export const PAY_HOST_PROFILE = `[${PAY_HOST_ATTR}="profile"]`;

/** A post, in a timeline, a conversation or the focused post of a status page. */
export const POST = 'article[data-testid="tweet"]';
/** Any article: an unavailable quoted post is a nested `<article>` (CPFT `getTweetType`). */
export const ARTICLE = 'article';
/** The author block; a quoted post has its own, inside `QUOTE`. */
export const USER_NAME = '[data-testid="User-Name"]';
/** The avatar is keyed by handle: `UserAvatar-Container-<handle>`. */
export const AVATAR_CONTAINER = '[data-testid^="UserAvatar-Container-"]';
export const AVATAR_CONTAINER_PREFIX = 'UserAvatar-Container-';
/** The permalink that wraps the post's `<time>`: `/<handle>/status/<id>`. */
export const TIME = 'time';
/** A quoted post is a `div[role=link]` inside the quoting post. */
export const QUOTE = 'div[role="link"]';
/** The action bar (reply, repost, like, views, bookmark, share). Quotes have none. */
export const ACTION_BAR = 'div[role="group"]';
/** Ads, but also video players and Follow buttons: only an *ancestor* of a post means "promoted". */
export const PLACEMENT_TRACKING = '[data-testid="placementTracking"]';
/** Who-to-follow and sidebar rows. */
export const USER_CELL = '[data-testid="UserCell"]';
export const HOVER_CARD = '[data-testid="HoverCard"]';
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
/** Only on the signed-in user's own profile, where Follow would be. */
export const EDIT_PROFILE_BUTTON = '[data-testid="editProfileButton"]';
/** Anything whose appearance may mean the profile header (re-)rendered. */
export const PROFILE_HEADER_PARTS = `${PROFILE_USER_NAME}, ${FOLLOW_BUTTON}, ${EDIT_PROFILE_BUTTON}`;

/** The composer's Draft.js editors: `tweetTextarea_0`, `_1` … for threads. */
export const COMPOSER_EDITOR = '[data-testid^="tweetTextarea_"][contenteditable="true"]';
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
