from shop.cart import add


def test_add():
    print("tests may print")
    assert add({}, "apple") == {"apple": 1}
