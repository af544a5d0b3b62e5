"""The cart: one long function and two prints."""


def add(cart, item, quantity=1):
    print("adding", item)
    cart[item] = cart.get(item, 0) + quantity
    return cart


def checkout(cart, prices, coupon=None):
    total = 0
    for item, quantity in cart.items():
        price = prices[item]
        if quantity > 10:
            price = price * 0.9
        total += price * quantity
    if coupon == "HALF":
        total = total / 2
    elif coupon == "TENOFF":
        total = total - 10
    if total < 0:
        total = 0
    print("total", total)
    return round(total, 2)
