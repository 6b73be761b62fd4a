"""The fake Discord's world: the ids of the application, bot, server and channels, the
permission bits test members carry, and how long tests wait before calling a hang a failure."""

__all__ = [
    "ADMINISTRATOR",
    "APP_ID",
    "BOT_ID",
    "BOT_USER",
    "CHANNEL_ID",
    "EVERY_PERMISSION",
    "GUILD_ID",
    "HANG_GUARD",
    "MANAGE_EVENTS",
    "MANAGE_GUILD",
    "ORDINARY",
    "STAGE_CHANNEL_ID",
    "SYSTEM_CHANNEL_ID",
    "TOKEN_LIFETIME",
    "VOICE_CHANNEL_ID",
]

APP_ID = 900000000000000001
BOT_ID = 900000000000000002
GUILD_ID = 800000000000000001
CHANNEL_ID = 800000000000000002
SYSTEM_CHANNEL_ID = 800000000000000003
VOICE_CHANNEL_ID = 800000000000000004
STAGE_CHANNEL_ID = 800000000000000005
HANG_GUARD = 10.0  # seconds; a test waiting this long has failed, it never waits for timing
TOKEN_LIFETIME = 15 * 60  # seconds an interaction token works for its webhook, as on Discord
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
# What an ordinary member of a server holds (Discord's default @everyone permissions, resolved
# for the channel): View Channel, Send Messages, Embed Links, Attach Files, Read Message History,
# Add Reactions, Use Application Commands, Connect, Speak, Create Public Threads, Send Messages in
# Threads. Test members carry these, not 0, so "has some permission" can never pass for organizer.
ORDINARY = (
    (1 << 10)
    | (1 << 11)
    | (1 << 14)
    | (1 << 15)
    | (1 << 16)
    | (1 << 6)
    | (1 << 31)
    | (1 << 20)
    | (1 << 21)
    | (1 << 35)
    | (1 << 38)
)
EVERY_PERMISSION = (1 << 51) - 1
MANAGE_EVENTS = 1 << 33

BOT_USER = {
    "id": str(BOT_ID),
    "username": "docclub",
    "discriminator": "0",
    "global_name": "docclub",
    "avatar": None,
    "bot": True,
    "flags": 0,
    "public_flags": 0,
}
