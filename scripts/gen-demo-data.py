#!/usr/bin/env python3
"""Writes assets/demo-numbers.json: the demo data served by `wxpick --demo`: the numbers of the
organization that are free, each in one range of one area. Which demo location offers which range
is `src/demo/locations.rs`; the numbers a range skips are the ones already assigned (the demo's
number inventory gives them owners and extensions).

The numbers come from ranges set aside for fiction and documentation where a country has one
(NANP 555-01XX, Ofcom's drama ranges, ACMA's, ARCEP's), or from the Webex API examples, so no
real subscriber is listed. Run it again to regenerate; the output is deterministic.
"""
import json
import random

rng = random.Random(20261127)

# (prefix, first, count, digits of the suffix, toll-free)
RANGES = [
    ("+1205635", 0, 1200, 4, False),     # US, Birmingham AL (the Webex API examples)
    ("+1312555", 100, 300, 4, False),    # US, Chicago
    ("+1888555", 100, 100, 4, True),     # US toll-free
    ("+1416555", 100, 200, 4, False),    # CA, Toronto
    ("+4420794", 60000, 500, 5, False),  # GB, London (Ofcom drama range 020 7946 0xxx)
    ("+44808157", 0, 100, 4, True),      # GB freephone (Ofcom drama range)
    ("+49302312", 5000, 300, 4, False),  # DE, Berlin
    ("+3319900", 0, 250, 4, False),      # FR, Paris (ARCEP fiction range 01 99 00 xx xx)
    ("+6125550", 0, 200, 4, False),      # AU, Sydney (ACMA fiction range 02 5550 xxxx)
    # Added later, at the end so that the numbers above stay as they were: each demo location
    # offers numbers of its own area.
    ("+1514555", 100, 100, 4, False),    # CA, Montréal
    ("+1408555", 100, 100, 4, False),    # US, San José
    ("+1847555", 100, 100, 4, False),    # US, Rosemont (O'Hare)
    ("+441614960", 0, 200, 3, False),    # GB, Manchester (Ofcom drama range 0161 496 0xxx)
    ("+492214710", 0, 150, 3, False),    # DE, Köln (the regulator's range for film and TV, 0221 4710 xxx)
]

numbers = []
for prefix, first, count, width, toll_free in RANGES:
    main_done = False
    for i in range(first, first + count):
        if rng.random() < 0.08:  # some numbers in each range are already assigned
            continue
        number = f"{prefix}{i:0{width}d}"
        is_main = not main_done and not toll_free and rng.random() < 0.02
        main_done |= is_main
        numbers.append({
            "phoneNumber": number,
            "state": "ACTIVE" if rng.random() < 0.8 else "INACTIVE",
            "isMainNumber": is_main,
            "telephonyType": "PSTN_NUMBER",
            "tollFreeNumber": toll_free,
            "isServiceNumber": (not toll_free) and rng.random() < 0.15,
        })

with open("assets/demo-numbers.json", "w") as f:
    f.write('{"phoneNumbers":[\n')
    f.write(",\n".join(json.dumps(n, separators=(",", ":")) for n in numbers))
    f.write("\n]}\n")
print(len(numbers), "numbers")
