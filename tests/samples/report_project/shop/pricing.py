"""Prices, with an unseeded random generator and a function just over the limit."""

import random


def jitter(price):
    rng = random.Random()
    return price * (1 + rng.random() / 100)


def table(items):
    rows = []
    for name, price in items:
        if price < 0:
            continue
        label = name.title()
        cents = round(price * 100)
        euros, rest = divmod(cents, 100)
        text = f"{euros}.{rest:02d}"
        rows.append((label, text))
    rows.sort()
    return rows
