"""The six help pages in the footer, in English and Chinese, as a new store starts with them.

Staff edit them in the admin (Store → Help pages); this only creates the ones missing.
"""

from django.db import migrations

PAGES = [
    {
        "slug": "about",
        "position": 0,
        "title": "About us",
        "title_zh": "关于我们",
        "summary": "Partline is an electronic components distributor in Shenzhen: genuine parts "
        "from authorised sources, one-piece samples to production reels.",
        "summary_zh": "Partline 是深圳的电子元器件分销商：原厂及授权渠道正品，从 1 片样品到整盘量产。",
        "body": """Partline sells electronic components online to engineers, purchasers and
factories, from a single sample to full production reels.

## What we stand for

- **Genuine parts only.** We buy from manufacturers and their authorised distributors, and
  keep the traceability (manufacturer lot and date code) of every reel we sell.
- **Prices you can plan with.** Every part shows its price breaks in CNY, without and with
  {vat_percent}% VAT, and the stock we hold ourselves apart from what our suppliers hold.
- **A BOM in minutes.** Upload a bill of materials from KiCad, Altium, EasyEDA or a
  spreadsheet, match every line and order it in one go; ask for a quote where you need more.

## Who we are

A team of component engineers and purchasing staff based in Shenzhen, with our own
warehouse for same-day dispatch. Questions about a part, an order or an invoice go to the
people on our [contact page](/help/contact/).
""",
        "body_zh": """Partline 面向工程师、采购和工厂在线销售电子元器件，从 1 片样品到整盘量产。

## 我们的承诺

- **只卖正品。** 我们从原厂及其授权代理商采购，每一盘料都保留可追溯信息（原厂批号和生产日期码）。
- **价格清楚，便于计划。** 每个元件都列出人民币阶梯价，分别显示不含税价和含 {vat_percent}% 增值税价，自营库存与供应商库存分开显示。
- **几分钟完成 BOM。** 上传 KiCad、Altium、嘉立创 EDA 导出的 BOM 或表格，逐行匹配后一次下单；需要更大批量时可以询价。

## 我们是谁

一支在深圳的元器件工程师和采购团队，拥有自营仓库，当天发货。关于元件、订单或发票的问题，请通过[联系我们](/zh-hans/help/contact/)页面找到我们。
""",
    },
    {
        "slug": "contact",
        "position": 1,
        "title": "Contact",
        "title_zh": "联系我们",
        "summary": "Sales, technical and invoice questions: email, phone and our Shenzhen address, "
        "with our hours in China Standard Time.",
        "summary_zh": "销售、技术和发票问题：邮箱、电话和深圳地址，以及工作时间（北京时间）。",
        "body": """We answer on working days from 9:00 to 18:00 China Standard Time (UTC+8),
usually within two hours.

## Sales and orders

- Email: sales@partline.example
- Phone: +86 755 8600 0000

Please give your order number (`SO-…`) or quote number when you write about one.

## Technical questions

Alternates, cross-references and datasheet questions: tech@partline.example

## Invoices and payments

VAT invoices, bank transfers and account balance: finance@partline.example

## Address

Partline Electronics Co., Ltd.
Futian District, Shenzhen, Guangdong, China

Parts can be collected from our warehouse by appointment.
""",
        "body_zh": """工作日 9:00–18:00（北京时间）在线，通常两小时内回复。

## 销售与订单

- 邮箱：sales@partline.example
- 电话：0755-8600 0000

咨询订单时请注明订单号（`SO-…`）或报价单号。

## 技术支持

替代料、交叉型号和规格书问题：tech@partline.example

## 发票与付款

增值税发票、银行转账和账户余额：finance@partline.example

## 地址

Partline 电子有限公司
广东省深圳市福田区

可预约到仓库自提。
""",
    },
    {
        "slug": "shipping",
        "position": 2,
        "title": "Shipping and delivery",
        "title_zh": "配送与交期",
        "summary": "Orders paid before {ship_cutoff_hour} on a working day leave our warehouse the "
        "same day; delivery times, carriers and fees.",
        "summary_zh": "工作日 {ship_cutoff_hour} 前付款的订单当天从自营仓库发货；配送时间、承运商和运费。",
        "body": """## When your order leaves

Parts in our own stock are dispatched **the same working day** when the order is paid
before {ship_cutoff_hour} China Standard Time, otherwise the next working day. The checkout
shows the dispatch date of every order before you place it.

Parts shown as supplier stock ship when they reach our warehouse: the part page and the cart
give the lead time in days. An order with both leaves in one parcel unless you ask us to
split it.

## How it travels

Every parcel is packed in anti-static (ESD) bags; moisture-sensitive parts (MSL 2 and up)
travel in sealed moisture barrier bags with desiccant and a humidity card. You get the
tracking number by email and in your account when the parcel leaves.

## Fees

The fee depends on the method and the parts subtotal and is shown in the checkout before you
pay; the current methods and fees are listed below. Prices are excluding VAT; VAT is added
on the invoice.
""",
        "body_zh": """## 何时发货

自营库存的元件：工作日北京时间 {ship_cutoff_hour} 前付款的订单**当天发货**，之后付款的次个工作日发货。下单前，结算页会显示每个订单的发货日期。

显示为供应商库存的元件在到达我们仓库后发出：元件页面和购物车会显示以天计的交期。同时含有两种库存的订单默认合并为一个包裹发出，如需分批发货请告诉我们。

## 包装与运输

每个包裹都使用防静电（ESD）袋包装；湿敏元件（MSL 2 级及以上）使用真空防潮袋，内附干燥剂和湿度卡。包裹发出时，您会通过邮件和账户收到运单号。

## 运费

运费取决于配送方式和元件小计，并在付款前显示在结算页；当前的配送方式和运费见下表。价格不含增值税，增值税在发票中另计。
""",
    },
    {
        "slug": "returns",
        "position": 3,
        "title": "Returns and quality guarantee",
        "title_zh": "退货与质量保证",
        "summary": "Genuine parts from authorised sources; returns and complaints within "
        "{returns_window_days} days of delivery.",
        "summary_zh": "原厂及授权渠道正品；签收后 {returns_window_days} 天内可申请退货或质量投诉。",
        "body": """## Our guarantee

Every part we sell is genuine, new and from the manufacturer or its authorised
distribution, with its original packaging or our ESD packaging and labelled with the
manufacturer's part number, lot and date code. If a part turns out not to be what we sold,
we replace it or refund it, and the shipping, whatever the time that has passed.

## Returns

Returns and complaints are accepted within **{returns_window_days} days of delivery**. Open a
return from the order in your account: choose the lines and quantities, say why and add
photos if something arrived damaged. We reply within two working days with the return
address, and refund to your account balance or the way you paid once the parts are back and
checked, or send replacements.

Parts must come back unused and in their original or ESD packaging; moisture-sensitive parts
in their sealed bag. Cut tape and programmed or customised parts can be returned only when
they are faulty or not what was ordered.
""",
        "body_zh": """## 质量保证

我们销售的每一个元件都是全新正品，来自原厂或其授权渠道，使用原厂包装或我们的防静电包装，并标注原厂型号、批号和生产日期码。如发现元件与所售不符，无论时间过去多久，我们都会更换或退款，并承担运费。

## 退货

签收后 **{returns_window_days} 天内**可申请退货或质量投诉。在账户的订单中发起退货：选择行和数量，说明原因，如有破损请附上照片。我们会在两个工作日内回复退货地址；元件退回并检验后，退款至账户余额或原付款方式，或寄出替换品。

退回的元件必须未经使用，并保持原包装或防静电包装；湿敏元件须保持密封。剪带料以及已烧录或定制的元件，仅在有质量问题或与订购不符时可退。
""",
    },
    {
        "slug": "terms",
        "position": 4,
        "title": "Terms of sale",
        "title_zh": "销售条款",
        "summary": "Prices in CNY with and without {vat_percent}% VAT, VAT invoices, payment by "
        "account balance, bank transfer or online.",
        "summary_zh": "人民币价格（含/不含 {vat_percent}% 增值税）、增值税发票，可使用账户余额、银行转账或在线支付。",
        "body": """## Prices

Prices are in CNY. Part pages and the cart show each price excluding and including
{vat_percent}% VAT; the order total is the sum of the lines at the price break their quantity
reaches, plus shipping. The price charged is the price shown when you place the order: if
a price changes while a part is in your cart, the checkout shows the new one before you pay.

## Orders

An order is binding once placed and paid. Stock is reserved for your order when you place
it; an order left unpaid is cancelled after the time its confirmation email gives, and
the stock is released. You can cancel an order yourself in your account while it is unpaid.

## Payment

- Your prepaid account balance (company accounts can top it up by bank transfer, with a
  bonus on larger top-ups).
- Bank transfer to our company account, with the order's reference.
- Online payment at checkout.

## Invoices

We issue Chinese VAT invoices: special VAT invoices (增值税专用发票) for companies with their
tax details on file, and ordinary VAT invoices (增值税普通发票) otherwise. Enter the invoice
details in your account before you order.

## Liability

Parts are sold for use as their manufacturer's datasheet describes. Our liability is limited
to replacing or refunding the parts concerned.
""",
        "body_zh": """## 价格

价格以人民币计。元件页面和购物车分别显示不含税价和含 {vat_percent}% 增值税价；订单总额为各行按其数量所达阶梯价计算之和，另加运费。实际收取的价格以下单时显示的价格为准：元件在购物车中时如价格变化，结算页会在付款前显示新价格。

## 订单

订单下单并付款后生效。下单时即为您的订单锁定库存；未付款的订单会在确认邮件所示的期限后自动取消并释放库存。订单付款前，您可以在账户中自行取消。

## 付款方式

- 账户预存余额（企业账户可通过银行转账充值，充值金额较大时另有赠送）。
- 银行转账至我司对公账户，并注明订单的转账备注单号。
- 结算时在线支付。

## 发票

我们开具增值税发票：已登记税务信息的企业可开具增值税专用发票，其他情况开具增值税普通发票。请在下单前于账户中填写开票信息。

## 责任

元件应按其原厂规格书所述用途使用。我们的责任以更换或退还相关元件为限。
""",
    },
    {
        "slug": "privacy",
        "position": 5,
        "title": "Privacy",
        "title_zh": "隐私政策",
        "summary": "What we store about you, why, for how long, and your rights under China's "
        "Personal Information Protection Law.",
        "summary_zh": "我们保存哪些个人信息、用途、保存期限，以及您依据《个人信息保护法》享有的权利。",
        "body": """We handle personal information as China's Personal Information Protection Law
(PIPL) requires: only what we need, for the purpose we state, kept no longer than that.

## What we store

- Your account: name, email, phone, company and the password (stored only as a hash).
- Addresses and invoice details you enter, to ship and invoice your orders.
- Orders, payments, quotes and BOMs, which tax law requires us to keep.
- Which pages and parts you viewed and searched for while signed in, to improve the store.
  We keep these events for a limited time and then delete them.

We do not sell personal information. Carriers receive the delivery address and phone of the
orders they carry; payment providers what they need to take a payment.

## Cookies

We use cookies only where the store needs them to work: signing in, the cart, the form
protection of the add-to-cart button and the language you choose. No advertising cookies.

## Your rights

You can see and correct your details in your account, ask us for a copy, and ask us to
delete your account: write to privacy@partline.example. Records the law requires us to keep
(orders and invoices) are kept for the period it sets.
""",
        "body_zh": """我们依照《中华人民共和国个人信息保护法》处理个人信息：只收集所需的信息，只用于说明的目的，保存期限不超过所需。

## 我们保存的信息

- 您的账户：姓名、邮箱、电话、公司，以及密码（仅保存其哈希值）。
- 您填写的收货地址和开票信息，用于订单发货和开票。
- 订单、付款、报价和 BOM，税法要求我们保存。
- 登录期间浏览和搜索过的页面和元件，用于改进商城；这些记录只保存一段时间，之后删除。

我们不出售个人信息。承运商仅获得其承运订单的收货地址和电话；支付机构仅获得完成付款所需的信息。

## Cookie

我们只在商城运行所需时使用 Cookie：登录、购物车、加入购物车按钮的表单保护以及您选择的语言。不使用任何广告 Cookie。

## 您的权利

您可以在账户中查看和更正个人信息，向我们索取副本，或要求注销账户：请发邮件至 privacy@partline.example。法律要求保存的记录（订单和发票）将按法定期限保存。
""",
    },
]


def create_pages(apps, schema_editor):
    InfoPage = apps.get_model("shop", "InfoPage")
    for page in PAGES:
        if not InfoPage.objects.filter(slug=page["slug"]).exists():
            InfoPage.objects.create(**page)


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_info_pages")]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
