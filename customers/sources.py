"""Where a visitor came from, read off one request: referrer, UTM tags, search engine or AI
assistant, and whether the user agent is a crawler (crawlers are not visitors)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# Host (or a parent domain of it) -> engine. Checked longest first, so "chat.deepseek.com"
# wins over a plain "deepseek.com".
SEARCH_ENGINES = {
    "baidu.com": "baidu",
    "bing.com": "bing",
    "google.com": "google",
    "google.com.hk": "google",
    "google.cn": "google",
    "sogou.com": "sogou",
    "so.com": "360",
    "360.cn": "360",
    "sm.cn": "sm.cn",
    "yandex.ru": "yandex",
    "yandex.com": "yandex",
    "duckduckgo.com": "duckduckgo",
    "search.yahoo.com": "yahoo",
    "ecosia.org": "ecosia",
}
AI_ASSISTANTS = {
    "chatgpt.com": "chatgpt",
    "chat.openai.com": "chatgpt",
    "perplexity.ai": "perplexity",
    "kimi.moonshot.cn": "kimi",
    "kimi.com": "kimi",
    "doubao.com": "doubao",
    "yuanbao.tencent.com": "yuanbao",
    "chat.deepseek.com": "deepseek",
    "copilot.microsoft.com": "copilot",
    "gemini.google.com": "gemini",
    "claude.ai": "claude",
    "tongyi.aliyun.com": "tongyi",
    "yiyan.baidu.com": "yiyan",
}
_KNOWN = sorted(
    [(host, name, "ai") for host, name in AI_ASSISTANTS.items()]
    + [(host, name, "search") for host, name in SEARCH_ENGINES.items()],
    key=lambda item: -len(item[0]),
)

# Crawlers, previews, monitors and HTTP libraries: matched anywhere in the user agent.
_BOT = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|scrap|preview|fetch|monitor|headless|lighthouse|"
    r"curl/|wget/|python-|httpx|aiohttp|go-http-client|java/|okhttp|libwww|scrapy|"
    r"facebookexternalhit|embedly|quora link|whatsapp|telegram|bytespider|petalbot|"
    r"gptbot|chatgpt-user|oai-searchbot|claudebot|claude-web|perplexitybot|"
    r"ccbot|amazonbot|applebot|yisouspider|360spider|baiduspider|yandex(bot|images)|"
    r"duckduckbot|bingpreview|semrush|ahrefs|mj12|dotbot|uptime|pingdom",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    """A crawler, a link preview or a script; an empty user agent counts as one."""
    user_agent = (user_agent or "").strip()
    return not user_agent or bool(_BOT.search(user_agent))


class Channel:
    SEARCH = "search"
    AI = "ai"
    CAMPAIGN = "campaign"
    REFERRAL = "referral"
    DIRECT = "direct"
    INTERNAL = "internal"
    SERVER = ""  # recorded by the store itself (an order paid by bank transfer)


@dataclass(frozen=True)
class Source:
    channel: str = Channel.SERVER
    name: str = ""
    referrer_host: str = ""
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    landing_path: str = ""


def referrer_host(referrer: str) -> str:
    try:
        host = (urlsplit(referrer or "").hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def known_referrer(host: str) -> tuple[str, str] | None:
    """(engine, "search" | "ai") for a search engine's or AI assistant's host."""
    for known, name, channel in _KNOWN:
        if host == known or host.endswith("." + known):
            return name, channel
    return None


def _clip(text: str, size: int) -> str:
    return (text or "").strip()[:size]


def traffic_source(*, referrer: str, own_host: str, params, path: str) -> Source:
    """The source of one request. A request from one of the store's own pages is
    ``internal`` (the visit's source is that of its first request); UTM tags win over the
    referrer, as analytics tools do."""
    host = referrer_host(referrer)
    own = referrer_host(f"//{own_host}") if own_host else ""
    utm = {
        "utm_source": _clip(params.get("utm_source", ""), 100),
        "utm_medium": _clip(params.get("utm_medium", ""), 100),
        "utm_campaign": _clip(params.get("utm_campaign", ""), 100),
    }
    if host and host == own and not utm["utm_source"]:
        return Source(channel=Channel.INTERNAL)
    landing = _clip(path, 200)
    known = known_referrer(host) if host else None
    if utm["utm_source"]:
        channel, name = Channel.CAMPAIGN, utm["utm_source"].lower()[:60]
    elif known:
        name, channel = known
    elif host:
        channel, name = Channel.REFERRAL, host[:60]
    else:
        channel, name = Channel.DIRECT, ""
    return Source(
        channel=channel,
        name=name,
        referrer_host=host[:100],
        landing_path=landing,
        **utm,
    )
