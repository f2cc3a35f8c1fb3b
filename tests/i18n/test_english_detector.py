from tests.i18n.english import english_ui_strings


def test_chinese_interface_text_passes():
    assert english_ui_strings("<main><h1>购物车</h1><button>加入购物车</button></main>") == []


def test_english_interface_text_is_reported():
    assert english_ui_strings("<main><h1>购物车</h1><button>Add to cart</button></main>") == [
        "Add to cart"
    ]


def test_part_data_marked_translate_no_is_exempt():
    html = '<td translate="no">Murata Electronics GRM188R61H225KE11D</td>'
    assert english_ui_strings(html) == []


def test_shown_attributes_are_checked():
    assert english_ui_strings('<input placeholder="Search parts">') == ["Search parts"]


def test_scripts_and_trade_abbreviations_are_ignored():
    html = "<script>var cartCount = 1;</script><p>上传 BOM，导出 PDF</p>"
    assert english_ui_strings(html) == []


def test_email_addresses_and_order_references_are_data():
    html = "<p>订单 SO-MX5DQME — 采购单号 PO-4711，请写信至 sales@partline.example</p>"
    assert english_ui_strings(html) == []


def test_a_reference_does_not_hide_the_english_beside_it():
    assert english_ui_strings("<p>Order SO-MX5DQME received</p>") == [
        "Order SO-MX5DQME received"
    ]
