"""Writes flats.csv, the made-up flats of lesson 14 (the bug hunt).

400 flats, each with its floor area (m²), rooms, year built and distance to the centre (km),
in those units, so the columns differ in scale by a factor of a thousand. `pricey` is 1 when
a hidden price per month, a smooth function of the four plus noise, is above its median.
The numbers are invented; the file is generated so anyone can see how. Run:
    python3 Notebooks/data/make-flats.py
"""
import math
import random

random.seed(14)
rows = []
for _ in range(400):
    area = round(random.uniform(25, 180), 1)
    rooms = max(1, min(6, round(area / 30 + random.gauss(0, 0.7))))
    year = random.randint(1890, 2022)
    distance = round(random.uniform(0.3, 25), 2)
    age_bonus = 0.25 * math.tanh((year - 1990) / 15)          # new buildings cost more
    price = (math.log(area) + 0.05 * rooms - 0.06 * distance + age_bonus
             + 0.3 * math.exp(-distance / 3) + random.gauss(0, 0.12))
    rows.append((area, rooms, year, distance, price))
median = sorted(r[4] for r in rows)[len(rows) // 2]
with open("flats.csv" if __file__ == "make-flats.py" else __file__.replace("make-flats.py", "flats.csv"), "w") as f:
    f.write("area_m2,rooms,year_built,distance_km,pricey\n")
    for area, rooms, year, distance, price in rows:
        f.write(f"{area},{rooms},{year},{distance},{1 if price > median else 0}\n")
