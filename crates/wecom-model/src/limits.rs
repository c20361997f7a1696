//! WeCom's documented limits for messages and cards, in one place.
//!
//! The model's validation checks against these before anything is sent, and the callback
//! server's passive replies use the same numbers. Byte limits count UTF-8 bytes (WeCom's
//! "字节"); character limits count characters. Sources: `message/send` and
//! `update_template_card` in WeCom's server API documentation; where a page is silent the
//! safer reading is taken and said at the constant.

/// `text.content`, `markdown.content` and a passive text reply: bytes (WeCom cuts longer text).
pub const TEXT_BYTES: usize = 2048;
/// A title (`news`, `mpnews`, `textcard`, `video`, a mini program page path): bytes.
pub const TITLE_BYTES: usize = 128;
/// A description or digest (`news`, `textcard`, `video`, `mpnews.digest`): bytes.
pub const DESCRIPTION_BYTES: usize = 512;
/// A URL WeCom opens or fetches (`textcard.url`, `news.url`, `news.picurl`): bytes.
pub const URL_BYTES: usize = 2048;
/// `textcard.btntxt`: characters.
pub const BUTTON_TEXT_CHARS: usize = 4;
/// Articles in one `news` or `mpnews` message, and in a passive news reply (the reply page
/// states no maximum; the send API's 8 is the safe reading).
pub const ARTICLES: usize = 8;
/// `mpnews.articles[].author`: bytes.
pub const AUTHOR_BYTES: usize = 64;
/// `mpnews.articles[].content`: bytes.
pub const MPNEWS_CONTENT_BYTES: usize = 666 * 1024;
/// `miniprogram_notice.page`: bytes.
pub const MINIPROGRAM_PAGE_BYTES: usize = 1024;
/// `miniprogram_notice.content_item`: items.
pub const MINIPROGRAM_ITEMS: usize = 10;
/// `miniprogram_notice.content_item[].key`: characters.
pub const MINIPROGRAM_KEY_CHARS: usize = 10;
/// `miniprogram_notice.content_item[].value`: characters.
pub const MINIPROGRAM_VALUE_CHARS: usize = 30;
/// A callback key of a card (button, menu action, question, submit button): bytes.
pub const CARD_KEY_BYTES: usize = 1024;
/// An option id of a card (vote, drop-down): bytes.
pub const CARD_OPTION_ID_BYTES: usize = 128;
/// `template_card.task_id`: bytes.
pub const TASK_ID_BYTES: usize = 128;
/// `horizontal_content_list`: rows.
pub const CARD_HORIZONTAL_ROWS: usize = 6;
/// `vertical_content_list`: rows.
pub const CARD_VERTICAL_ROWS: usize = 4;
/// `jump_list`: entries.
pub const CARD_JUMPS: usize = 3;
/// `action_menu.action_list`: actions (the reply page says 10, the send API 3; 3 is safe).
pub const CARD_MENU_ACTIONS: usize = 3;
/// `button_list`: buttons.
pub const CARD_BUTTONS: usize = 6;
/// `checkbox.option_list`: options.
pub const CARD_CHECKBOX_OPTIONS: usize = 20;
/// `select_list`: drop-downs.
pub const CARD_SELECTS: usize = 3;
/// `button_selection.option_list` and `select_list[].option_list`: options.
pub const CARD_SELECT_OPTIONS: usize = 10;
/// A member id (UserID): bytes.
pub const USER_ID_BYTES: usize = 64;
/// Members named in one request.
pub const USERS: usize = 1000;
/// Departments named in one request.
pub const PARTIES: usize = 100;
/// Tags named in one request.
pub const TAGS: usize = 100;
/// An app group chat's name (`appchat/create`, `appchat/update`): characters. WeCom
/// truncates a longer name; the model refuses it instead, so what is sent is what shows.
pub const CHAT_NAME_CHARS: usize = 50;
/// A chat id chosen at `appchat/create`: characters, each of `0-9a-zA-Z`.
pub const CHAT_ID_CHARS: usize = 32;
/// The fewest members of an app group chat.
pub const CHAT_MEMBERS_MIN: usize = 2;
/// The most members of an app group chat. Older versions of WeCom's page say 500; the current
/// limit is 2,000 (and the corp's admin console may set a lower one).
pub const CHAT_MEMBERS_MAX: usize = 2000;
/// App group chats one corp may create per day.
pub const CHAT_CREATES_PER_DAY: u32 = 1000;
/// Messages one member may receive from one app in app group chats, per minute; WeCom drops
/// the excess without an error.
pub const CHAT_MEMBER_PER_MINUTE: u32 = 200;
/// Messages one member may receive from one app in app group chats, per day; WeCom drops the
/// excess without an error.
pub const CHAT_MEMBER_PER_DAY: u32 = 10_000;
/// Person-messages (a message to a chat of 100 members counts 100) per minute per corp in app
/// group chats. WeCom also states 200,000 per hour.
pub const CHAT_CORP_PER_MINUTE: u32 = 20_000;
