"""Carriers the warehouse ships with, and where a customer tracks a parcel of each."""

from urllib.parse import quote

from ..models import Carrier

# {tracking} is replaced by the (URL-quoted) tracking number.
TRACKING_URLS: dict[str, str] = {
    Carrier.SF_EXPRESS: "https://www.sf-express.com/chn/sc/waybill/waybill-detail/{tracking}",
    Carrier.JD: "https://www.jdl.com/orderSearch/?waybillCodes={tracking}",
    Carrier.ZTO: "https://www.zto.com/?num={tracking}",
    Carrier.YTO: "https://www.yto.net.cn/gw/index/index.html?waybill={tracking}",
    Carrier.EMS: "https://www.ems.com.cn/queryList?mailNum={tracking}",
    Carrier.DHL: "https://www.dhl.com/global-en/home/tracking.html?tracking-id={tracking}",
    Carrier.FEDEX: "https://www.fedex.com/fedextrack/?trknbr={tracking}",
    Carrier.UPS: "https://www.ups.com/track?tracknum={tracking}",
}

# Names staff type in a CSV, lower-cased, for each carrier.
ALIASES: dict[str, str] = {
    **{value: value for value in Carrier.values},
    **{label.lower(): value for value, label in Carrier.choices},
    "sf": Carrier.SF_EXPRESS,
    "sfexpress": Carrier.SF_EXPRESS,
    "shunfeng": Carrier.SF_EXPRESS,
    "顺丰": Carrier.SF_EXPRESS,
    "jd": Carrier.JD,
    "jd express": Carrier.JD,
    "京东": Carrier.JD,
    "zto": Carrier.ZTO,
    "中通": Carrier.ZTO,
    "yto": Carrier.YTO,
    "圆通": Carrier.YTO,
    "ems": Carrier.EMS,
    "china post": Carrier.EMS,
    "dhl": Carrier.DHL,
    "fedex": Carrier.FEDEX,
    "ups": Carrier.UPS,
}


def tracking_url(carrier: str, tracking_number: str) -> str:
    pattern = TRACKING_URLS.get(carrier, "")
    if not pattern or not tracking_number:
        return ""
    return pattern.replace("{tracking}", quote(tracking_number, safe=""))


def carrier_of(text: str) -> str | None:
    """The carrier staff named (code, name or a common alias), or None."""
    return ALIASES.get(" ".join((text or "").split()).lower())
