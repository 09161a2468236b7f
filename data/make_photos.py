"""Draw the example workbooks' event photos and screenshots (data/<example>/…).

The pictures are drawn here with Pillow, not taken from anywhere: a seminar
room, a computer class, a speaker shot on a phone held upright (landscape pixels
with an EXIF orientation tag, as phones save them) and screenshots of a webinar
(PNG). Each is well under 100 KB. The files are committed; run this again only
to change them: python data/make_photos.py
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans.ttf", "arial.ttf")
ORIENTATION = 0x0112
ROTATED_90 = 6  # «rotate 90° clockwise to view», what an upright phone writes


def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in FONTS:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default()


def audience(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, top: int,
             rows: int) -> None:
    """Rows of listeners seen from behind: heads and shoulders over desks."""
    for row in range(rows):
        y = top + row * 70
        scale = 1 + row * 0.25
        for x in range(40 + row * 10, width - 40, int(110 * scale)):
            shirt = tuple(rng.randrange(40, 200) for _ in range(3))
            hair = rng.choice([(40, 30, 20), (90, 60, 30), (20, 20, 20), (150, 110, 60)])
            r = int(22 * scale)
            draw.ellipse((x - 2 * r, y + r, x + 2 * r, y + 4 * r), fill=shirt)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=hair)
        draw.rectangle((0, y + 3 * int(22 * scale), width, y + 3 * int(22 * scale) + 14),
                       fill=(150, 110, 70))


def seminar(title: str, subtitle: str, seed: int, size: tuple[int, int] = (1024, 768),
            ) -> Image.Image:
    """A room with a projector screen showing the event's title, and the audience."""
    rng = random.Random(seed)
    w, h = size
    image = Image.new("RGB", size, (226, 220, 204))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, int(h * 0.62), w, h), fill=(176, 150, 120))  # floor
    draw.rectangle((int(w * 0.2), 40, int(w * 0.8), int(h * 0.45)), fill=(250, 250, 250),
                   outline=(90, 90, 90), width=4)
    draw.rectangle((int(w * 0.2), 40, int(w * 0.8), 95), fill=(30, 80, 150))
    draw.text((int(w * 0.23), 52), title, font=font(28), fill=(255, 255, 255))
    for i, line in enumerate(subtitle.split("\n")):
        draw.text((int(w * 0.23), 120 + i * 40), line, font=font(26), fill=(30, 30, 30))
    for i in range(3):  # window light
        x = 30 + i * 12
        draw.rectangle((x, 60, x + 6, int(h * 0.55)), fill=(245, 245, 235))
    audience(draw, rng, w, int(h * 0.52), 3)
    return image


def computer_class(caption: str, seed: int) -> Image.Image:
    """Teachers at monitors: a practical session."""
    rng = random.Random(seed)
    image = Image.new("RGB", (1024, 768), (215, 225, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 430, 1024, 768), fill=(160, 130, 100))
    draw.text((40, 30), caption, font=font(30), fill=(40, 40, 60))
    for row in range(2):
        for col in range(4):
            x, y = 60 + col * 240, 150 + row * 260
            draw.rectangle((x, y, x + 170, y + 110), fill=(30, 30, 30))
            screen = tuple(rng.randrange(120, 240) for _ in range(3))
            draw.rectangle((x + 8, y + 8, x + 162, y + 102), fill=screen)
            for k in range(4):
                draw.line((x + 18, y + 24 + k * 18, x + 18 + rng.randrange(60, 130),
                           y + 24 + k * 18), fill=(60, 60, 60), width=4)
            draw.rectangle((x + 75, y + 110, x + 95, y + 135), fill=(60, 60, 60))
            shirt = tuple(rng.randrange(40, 200) for _ in range(3))
            draw.ellipse((x + 30, y + 150, x + 140, y + 240), fill=shirt)
            draw.ellipse((x + 60, y + 110, x + 110, y + 160), fill=(70, 50, 30))
    return image


def speaker(name: str, seed: int) -> Image.Image:
    """A speaker at a lectern, shot upright (portrait)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (600, 800), (222, 214, 196))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 600, 800), fill=(170, 140, 110))
    draw.rectangle((120, 60, 480, 260), fill=(250, 250, 250), outline=(80, 80, 80), width=3)
    draw.text((140, 80), name, font=font(26), fill=(30, 80, 150))
    for k in range(4):
        draw.line((140, 140 + k * 28, 140 + rng.randrange(150, 300), 140 + k * 28),
                  fill=(90, 90, 90), width=6)
    draw.ellipse((250, 300, 350, 400), fill=(230, 190, 160))  # face
    draw.ellipse((245, 290, 355, 350), fill=(60, 40, 25))  # hair
    draw.rounded_rectangle((200, 400, 400, 640), radius=40, fill=(40, 60, 110))
    draw.rectangle((170, 520, 430, 800), fill=(120, 80, 50))  # lectern
    return image


def screenshot(title: str, lines: list[str], names: list[str]) -> Image.Image:
    """A webinar window: the shared slide and the participants' tiles."""
    image = Image.new("RGB", (1280, 720), (32, 33, 36))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1280, 40), fill=(60, 64, 67))
    draw.text((16, 8), "Вебинар — демонстрация экрана", font=font(20), fill=(230, 230, 230))
    draw.rectangle((20, 60, 960, 640), fill=(255, 255, 255))
    draw.rectangle((20, 60, 960, 140), fill=(30, 80, 150))
    draw.text((44, 84), title, font=font(30), fill=(255, 255, 255))
    for i, line in enumerate(lines):
        draw.ellipse((50, 182 + i * 60, 64, 196 + i * 60), fill=(30, 80, 150))
        draw.text((80, 172 + i * 60), line, font=font(28), fill=(20, 20, 20))
    for i, name in enumerate(names):
        y = 60 + i * 118
        draw.rectangle((980, y, 1260, y + 108), fill=(70, 74, 78))
        draw.ellipse((1090, y + 14, 1150, y + 74), fill=(120 + 20 * i, 100, 160 - 15 * i))
        draw.text((992, y + 80), name, font=font(18), fill=(240, 240, 240))
    draw.rectangle((0, 660, 1280, 720), fill=(60, 64, 67))
    for i in range(5):
        draw.ellipse((520 + i * 50, 672, 556 + i * 50, 708),
                     fill=(234, 67, 53) if i == 4 else (95, 99, 104))
    return image


def save_jpeg(image: Image.Image, path: Path, orientation: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    exif[0x010F] = "docgen example"  # Make: the metadata docgen must drop
    if orientation:
        exif[ORIENTATION] = orientation
    image.save(path, "JPEG", quality=80, optimize=True, exif=exif.tobytes())


def save_png(image: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, "PNG", optimize=True)


def main(root: Path = HERE) -> list[Path]:
    gmo = root / "izhevsk-gmo"
    net = root / "okhrozavodsk-setevaya"
    made: list[tuple[Image.Image, Path, str, int | None]] = [
        (seminar("Конструктор урока", "ФГИС «Моя школа»:\nбиблиотека цифрового контента",
                 1), gmo / "семинар" / "01 Открытие семинара.jpg", "jpeg", None),
        (computer_class("Практикум: урок из библиотеки контента", 2),
         gmo / "семинар" / "02 Практикум в компьютерном классе.jpg", "jpeg", None),
        # an upright phone photo: landscape pixels, «rotate 90° clockwise» in EXIF
        (speaker("Интерактивные задания", 3).transpose(Image.Transpose.ROTATE_90),
         gmo / "мастер-класс" / "фото1.jpg", "jpeg", ROTATED_90),
        (computer_class("Мастер-класс: задания с автопроверкой", 4),
         gmo / "мастер-класс" / "фото2.jpg", "jpeg", None),
        (seminar("Работа в группах", "Разработка заданий\nк своей теме", 5),
         gmo / "мастер-класс" / "фото10.jpg", "jpeg", None),
        (screenshot("Формирующее оценивание", ["Цели урока и критерии", "Обратная связь",
                                               "Самооценка и взаимооценка"],
                    ["Широких Д.А.", "Бабина О.Н.", "Участник 1", "Участник 2", "Участник 3"]),
         gmo / "вебинар" / "01 Слайд о формирующем оценивании.png", "png", None),
        (screenshot("Вопросы участников", ["Какие сервисы бесплатны?",
                                           "Как хранить результаты?"],
                    ["Бабина О.Н.", "Участник 4", "Участник 5", "Участник 6", "Участник 7"]),
         gmo / "вебинар" / "02 Ответы на вопросы участников.png", "png", None),
        (computer_class("Открытый урок «Цифровой урок»", 6),
         gmo / "открытые уроки" / "урок.jpg", "jpeg", None),
        (seminar("Функциональная грамотность", "Педагогический марафон\nшкол сети", 7),
         net / "марафон" / "01 Открытие марафона.jpg", "jpeg", None),
        (seminar("От задания к результату", "Круглый стол", 8),
         net / "марафон" / "02 Круглый стол.jpg", "jpeg", None),
        (computer_class("Цифровая лаборатория: исследование", 9),
         net / "мастер-класс.jpg", "jpeg", None),
        (computer_class("Олимпиада 7–8 классов", 10),
         net / "олимпиада.jpg", "jpeg", None),
    ]
    written = []
    for image, path, kind, orientation in made:
        if kind == "png":
            save_png(image, path)
        else:
            save_jpeg(image, path, orientation)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path, path.stat().st_size)
