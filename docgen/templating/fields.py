"""What a template can use: every context variable described in Russian, and the filters.

The catalogue is data: ``COMMON`` (every document), ``DOCUMENT_FIELDS`` (what
one document adds) and ``SHAPES`` (parts that repeat: a person, a member, an
organisation, a word in six cases). ``docgen fields`` prints it with example
values, ``docgen templates check`` checks templates' variables against it, and
a test fails when ``documents.py`` puts a key in a context that is not here,
or when this describes a key that no context has.

A field is ``"description"``, or ``("description", SHAPE)`` where SHAPE is the
name of an entry of ``SHAPES`` or a dict of sub-fields. A key ending in ``[]``
is a list whose every item has the shape: ``"members[]"`` gives the paths
``members`` and ``members[].full``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

Field = str | tuple[str, str | dict[str, Any]]

_DATE = "(дата: выводите через |date — 05.06.2026 — или |date_text — 5 июня 2026 г.)"

_NAME: dict[str, Field] = {
    "full": "фамилия, имя и отчество полностью",
    "initials": "инициалы и фамилия: «М.П. Иванова» — для подписей",
    "surname_initials": "фамилия и инициалы: «Иванова М.П.» — для списков",
    "last_name": "фамилия",
    "first_name": "имя",
    "patronymic": "отчество",
}

_PERSON: dict[str, Field] = {
    **_NAME,
    "gender": "пол: «м», «ж» или пусто, если не указан и не определился по имени "
              "(для фильтра agree)",
    "gen": ("имя в родительном падеже (кого?): head.gen.full", "name"),
    "dat": ("имя в дательном падеже (кому?): head.dat.initials", "name"),
    "acc": ("имя в винительном падеже (кого?): head.acc.full", "name"),
    "ins": ("имя в творительном падеже (кем?): head.ins.full", "name"),
    "pre": ("имя в предложном падеже (о ком?): head.pre.full", "name"),
}

_ISSUER: dict[str, Field] = {
    "by": "«service» или «authority»",
    "above": "строки над наименованием в бланке приказа — список",
    "letterhead": "наименование автора приказа (полное, с кратким в скобках)",
    "name": ("наименование в падежах", "cases"),
    "order_by": "«приказом начальника Департамента образования …»",
    "to": "кому, в дательном падеже: «начальнику Департамента образования …»",
    "signer_title": "должность того, кто подписывает",
    "signer": ("тот, кто подписывает", "person"),
}

SHAPES: dict[str, dict[str, Field]] = {
    "order": {
        "number": "номер приказа или пусто",
        "date": f"дата приказа или пусто {_DATE}",
        "given": "да, если указаны и номер, и дата",
        "number_text": "номер или «____» для записи от руки",
        "date_text": "дата «05.06.2026» или «________» для записи от руки",
        "requisites": "«от 28.08.2025 № 412» или «от ________ № ____»",
        "by": "«приказом начальника Департамента образования …» или «приказом МБУ …»",
        "standing": "да, если это отдельный приказ, утвердивший положение раньше",
        "issuer": ("кто издаёт приказ", _ISSUER),
    },
    "chart": {
        "number": "номер рисунка",
        "caption": "подпись: «Рисунок 1 – Посещаемость заседаний»",
        "picture": "картинка диаграммы: выведите её одну в абзаце, как фото",
        "title": "название диаграммы",
        "labels": "подписи столбцов — список",
        "values": "числа столбцов — список",
        "value_name": "что означают числа",
        "reference": "числа для сравнения (например, минимум по положению) — список или пусто",
        "reference_name": "что означают числа для сравнения",
        "horizontal": "да, если столбцы горизонтальные",
    },
    "cases": {
        "nom": "именительный падеж (кто? что?)",
        "gen": "родительный падеж (кого? чего?)",
        "dat": "дательный падеж (кому? чему?)",
        "acc": "винительный падеж (кого? что?)",
        "ins": "творительный падеж (кем? чем?)",
        "pre": "предложный падеж (о ком? о чём?)",
    },
    "name": _NAME,
    "person": _PERSON,
    "member": {
        **_PERSON,
        "position": "должность, как в книге",
        "position_cases": ("должность в падежах, строчными: position_cases.acc", "cases"),
        "organization": "организация (краткое наименование)",
        "organization_full": "полное наименование организации (с листа «Организации»)",
        "category": "квалификационная категория: «высшая», «первая» … или пусто",
        "category_text": "категория словами: «высшая квалификационная категория»",
        "experience": "педагогический стаж, лет (число или пусто)",
        "experience_text": "стаж словами: «12 лет»",
        "role": "роль в группе: «руководитель» («куратор»), «секретарь» или «участник»",
        "phone": "телефон",
        "email": "электронная почта",
    },
    "organization": {
        "short_name": "краткое наименование: «МБОУ СОШ № 3»",
        "full_name": "полное наименование",
        "full_name_cases": ("полное наименование в падежах: full_name_cases.gen", "cases"),
        "head": ("руководитель организации; пусто, если не указан — проверяйте "
                 "{%p if org.head %}", "person"),
        "head_title": ("должность руководителя с организацией, в падежах: "
                       "head_title.gen → «директора МБОУ СОШ № 3»; пусто без руководителя",
                       "cases"),
        "address": "адрес",
        "phone": "телефон",
        "email": "электронная почта",
        "contacts": "адрес, телефон и почта одной строкой (что заполнено)",
        "members[]": ("участники группы из этой организации — список", "member"),
    },
    "event": {
        "number": "номер мероприятия",
        "name": "тема (название) мероприятия",
        "date": f"дата проведения {_DATE}",
        "form": "форма проведения",
        "goal": "цель",
        "audience": "целевая аудитория",
        "participants_number": "количество участников (число или пусто)",
        "participants_text": "количество участников словами: «25 человек»",
        "responsible": "ответственный",
        "link": "ссылка на материалы",
        "date_line": "строка даты отчёта для подписи: «____» ____________ 2025 г.",
        "program": "краткая программа — список строк",
        "registration[]": ("строки листа регистрации (сколько участников и несколько "
                           "запасных, по умолчанию 25) — "
                           "список", {
                               "number": "№ п/п",
                               "name": "пусто: ФИО пишут от руки",
                               "organization": "пусто: организацию пишут от руки",
                               "position": "пусто: должность пишут от руки",
                           }),
        "category": "категория участников: «педагоги», «обучающиеся» или «родители»",
        "online": "да, если событие проведено онлайн (по «Форме»: «вебинар», «онлайн…», "
                  "«дистанционно», «видеоконференция»; «очно-дистанционно» — нет)",
        "signatures": "да, если в листе регистрации есть графа «Подпись» (не онлайн)",
        "role_header": "заголовок графы листа регистрации: «Должность», у обучающихся — "
                       "«Класс», у родителей — «Класс ребёнка»",
        "registration_title": "«Лист регистрации участников» или, онлайн, «Список участников»",
        "registration_pages": "строки листа регистрации по страницам — список списков: "
                              "{%p for page in event.registration_pages %} … "
                              "{%tr for r in page %}",
        "photos_title": "«Фотоотчёт» или, онлайн, «Снимки экрана»",
        "photos[]": ("фото (снимки экрана) из столбца «Фото» — список", "photo"),
        "photo_pages": "те же фото по два на страницу — список списков",
        "appendices[]": ("что приложено к отчёту — список", {
            "number": "номер приложения",
            "title": "название: «Лист регистрации участников», «Фотоотчёт» …",
            "sheets": "на скольких листах (число)",
            "line": "строка для «Приложение:»: «1. Фотоотчёт на 2 л. в 1 экз.;»",
        }),
    },
    "photo": {
        "number": "номер рисунка по порядку",
        "image": "рисунок: {{ photo.image }} вставляет его (не больше 170×90 мм, пропорции "
                 "сохранены); другой размер — {{ photo.image|picture(width=80) }}",
        "file": "имя файла, как в книге",
        "caption": "подпись: «Рисунок 1» или «Рисунок 1 – Открытие семинара», если имя файла — "
                   "русская фраза",
    },
}

COMMON: dict[str, Field] = {
    "group": ("сведения о группе с листа «Группа»", {
        "name": "название группы без кавычек",
        "quoted_name": "название в кавычках-ёлочках: «Маленькие инженеры»",
        "theme": "тема (проблема), над которой работает группа, без точки в конце",
        "goal": "цель; пусто, если не заполнена",
        "tasks": "задачи — список строк: {%p for task in group.tasks %}",
        "expected_result": "ожидаемый результат",
        "year": "учебный год: «2025/2026»",
        "start": f"дата начала работы {_DATE}",
        "end": f"дата окончания работы {_DATE}",
        "period_text": "срок работы словами: «с 1 сентября 2025 г. по 31 мая 2026 г.»",
        "direction": "направление профессиональной группы или пусто",
        "level": "уровень образования: «общее» или «дошкольное»",
        "authority": "орган управления образованием",
        "service": "методическая служба, открывающая группу",
        "locality": "населённый пункт",
        "base_org": "базовая организация",
        "problems": "«Проблемы» (для отчёта) — список абзацев",
        "proposals": "«Предложения» (для отчёта) — список абзацев",
        "regulation_adopted": "на чьём заседании принято положение: «методического совета "
                              "МКУ ИМЦ, протокол от 28.08.2025 № 1» или пусто",
    }),
    "kind": ("вид объединения", {
        "id": "код вида: tvorcheskaya, setevaya, professionalnaya, masterskaya или gmo",
        "name": "название вида полностью: «Городское методическое объединение»",
        "abbreviation": "сокращение вида, если есть: «ГМО»",
        "gender": "род названия вида: m, f или n",
        "nom": "вид строчными, именительный падеж: «творческая группа»",
        "gen": "вид в родительном падеже: «творческой группы»",
        "dat": "вид в дательном падеже: «творческой группе»",
        "acc": "вид в винительном падеже: «творческую группу»",
        "ins": "вид в творительном падеже: «творческой группой»",
        "pre": "вид в предложном падеже: «творческой группе»",
        "short": "краткое имя в тексте после «(далее – …)»: «группа», «ГМО»",
        "short_gen": "краткое имя в родительном падеже: «группы»",
        "short_cases": ("краткое имя в падежах", "cases"),
    }),
    "title": ("вид и название группы вместе, в падежах: title.gen → «творческой группы "
              "«Маленькие инженеры»»", "cases"),
    "head_title": ("как называется глава группы — «руководитель» или «куратор» — в падежах",
                   "cases"),
    "head": ("руководитель (куратор) группы", "member"),
    "chair": ("председатель заседаний: тот же человек, что head", "member"),
    "secretary": ("секретарь группы; пусто, если секретаря нет — проверяйте "
                  "{%p if secretary %}", "member"),
    "report_doc": ("как у этого вида называется отчёт за год", {
        "title": "заголовок: «ОТЧЁТ» или «АНАЛИЗ ДЕЯТЕЛЬНОСТИ» (мастерская)",
        "name": "«Отчёт» или «Анализ деятельности»",
    }),
    "service_head": ("руководитель методической службы (подписывает приказы)", "person"),
    "service_head_position": ("его должность в падежах, строчными: «директору»", "cases"),
    "service_head_title": ("должность с названием службы, в падежах: service_head_title.dat → "
                           "«Директору МКУ ИМЦ»", "cases"),
    "order": ("приказ о создании группы", {
        "number": "номер приказа",
        "date": f"дата приказа {_DATE}",
    }),
    "head_order": ("приказ о назначении руководителя; пусто, если номер и дата не указаны "
                   "(тогда печатайте orders.head.requisites — места для записи от руки)", {
        "number": "номер приказа или пусто",
        "date": f"дата приказа или пусто {_DATE}",
    }),
    "orders": ("приказы, на которые ссылаются документы, каждый — от того, кто его издаёт "
               "по положению вида", {
        "open": ("приказ о создании группы", {
            **SHAPES["order"],
            "points": ("номера пунктов приказа о создании; 0 — такого пункта нет", {
                "petition": "ходатайство о назначении руководителя другим органом",
                "council": "формирование методического совета (мастерская)",
                "approve": "утверждение положения и состава",
                "heads": "руководителям организаций обеспечить участие",
                "control": "контроль за исполнением",
            }),
            "distribution": "«в дело, МБОУ «СОШ № 6», …» для строки «Разослать:»",
        }),
        "head": ("приказ о назначении руководителя (куратора)", {
            **SHAPES["order"],
            "distribution": "«в дело, …» для строки «Разослать:»",
        }),
        "regulation": ("приказ об утверждении положения: отдельный, если указан в книге, "
                       "иначе приказ о создании", {
            **SHAPES["order"],
            "cite": "как приказы ссылаются на положение, в творительном падеже: «Положением о "
                    "профессиональной группе, лаборатории …» (полное название)",
        }),
        "plan": ("приказ об утверждении плана; нужен, только если "
                 "rules.plan_approved_by == 'order'", "order"),
        "members": ("приказ о внесении изменений в состав: в нём самом — его реквизиты, в "
                    "других документах — пустые места", {
            **SHAPES["order"],
            "distribution": "«в дело, …» для строки «Разослать:»: организации участников на "
                            "день изменения и исключённых",
        }),
        "open_appoints": "да, если руководителя назначает тот же, кто создаёт группу (иначе "
                         "приказ о создании ходатайствует о назначении)",
        "appoints": "да, если руководителя назначают приказом (у мастерской — нет: ею "
                    "руководит методический совет)",
        "petition": "да, если руководителя назначает другой орган по ходатайству создавшего",
        "basis": "на что ещё ссылается приказ о создании: «на основании решения методического "
                 "совета …» (ГМО), «Положением о сетевом взаимодействии …» или пусто",
        "heads_point": "да, если участники из нескольких организаций",
        "executor": ("исполнитель приказов («Исп.»), если указан в книге", {
            "name": "имя, как в книге, или пусто",
            "phone": "телефон или пусто",
        }),
    }),
    "authority": ("орган управления образованием, как он назван в книге", {
        "given": "да, если указан",
        "name": ("наименование в падежах: authority.name.dat", "cases"),
        "short": ("первое слово в падежах, для «(далее – Управление)»: authority.short.nom",
                  "cases"),
    }),
    "powers": ("кто что издаёт и утверждает по положению вида", {
        "create": "кто создаёт группу: «service» (методическая служба) или «authority» "
                  "(орган управления образованием)",
        "appoint": "кто назначает руководителя: «service» или «authority»",
        "regulation": "кто утверждает положение: «service» или «authority»",
        "plan": "кто утверждает план: «service», «authority» (приказом), «service_head» "
                "(руководитель службы) или «head» (руководитель группы)",
    }),
    "plan_submit_to": "кому представить план на утверждение, в дательном падеже; пусто, "
                      "если план утверждает руководитель группы",
    "rules": ("правила вида объединения (из его положения)", {
        "min_meetings": "сколько заседаний в год самое меньшее (число; 0 — не задано)",
        "min_meetings_text": "то же словами: «не реже 4 раз в год» или пусто",
        "terms": "периоды года, в каждом из которых нужно заседание — список строк",
        "head_categories": "категории, одна из которых нужна главе группы — список",
        "head_categories_text": "они словами: «высшую или первую квалификационную категорию»",
        "head_min_experience": "наименьший стаж главы группы, лет (число)",
        "head_experience_text": "он словами: «не менее 5 лет» или пусто",
        "min_organizations": "из скольких организаций самое меньшее участники (число)",
        "plan_approved_by": "кто утверждает план: «order» (приказом), «head» (глава группы) "
                            "или «service_head» (руководитель службы)",
        "plan_approved_text": "кем утверждён план, словами: «приказом МКУ ИМЦ»",
    }),
    "plan_doc": ("как у этого вида называется план", {
        "title": "заголовок: «ПЛАН РАБОТЫ» или «ДОРОЖНАЯ КАРТА»",
        "approved": "гриф, согласованный с заголовком: «УТВЕРЖДЁН» или «УТВЕРЖДЕНА»",
        "nom": "название в тексте: «план работы» или «дорожная карта»",
        "gen": "в родительном падеже: «плана работы», «дорожной карты»",
        "acc": "в винительном падеже: «план работы», «дорожную карту»",
        "ins": "в творительном падеже: «планом работы», «дорожной картой»",
        "appendix": "номер приложения к положению (у ГМО — 4) или 0",
        "considered": "протокол заседания, на котором рассмотрен план: «от 23.09.2025 № 1» "
                      "или «от ________ № ____»",
    }),
    "members[]": ("участники группы, глава первым, затем секретарь — список: "
                  "{%tr for m in members %}; в приказе о создании — только состав на день "
                  "приказа (кто включён позже, включается приказом о внесении изменений)",
                  "member"),
    "members_count": "сколько участников (число)",
    "organizations[]": ("организации с листа «Организации» — список", "organization"),
    "organizations_count": "из скольких организаций участники (число)",
    "plan[]": ("строки плана работы — список: {%tr for item in plan %}", {
        "number": "№ п/п",
        "activity": "мероприятие",
        "form": "форма",
        "term": "срок словами: «сентябрь 2025» или дата «05.06.2026»",
        "responsible": "ответственный",
        "result": "результат",
        "done": "отметка о выполнении",
    }),
    "tech_task[]": ("строки технического задания — список", {
        "number": "№ п/п",
        "task": "задача",
        "works": "содержание работ",
        "product": "продукт",
        "term": "срок словами",
        "indicator": "показатель",
    }),
    "events[]": ("сетевые мероприятия — список", "event"),
    "products[]": ("продукты деятельности — список", {
        "number": "№ п/п",
        "name": "наименование",
        "kind": "вид продукта",
        "authors": "авторы",
        "where": "где представлен",
    }),
}

# The мастерская's совет and куратор (seed 003, 4.2–4.3): the documents that name them.
_COUNCIL: dict[str, Field] = {
    "council[]": ("методический совет, который руководит мастерской: председатель первым, "
                  "затем члены — список; пуст у других видов", "member"),
    "council_role": "роль членов методического совета («член методического совета») или пусто",
    "curator": ("куратор от методической службы (мастерская: заведующий по "
                "организационно-методической работе); пусто, если не указан", {
        **SHAPES["person"],
        "title": "должность с названием службы: «Заведующий по организационно-методической "
                 "работе МУ «Методический кабинет»»",
    }),
}

DOCUMENT_FIELDS: dict[str, dict[str, Field]] = {
    "order_open": dict(_COUNCIL),
    "order_head": {},
    "regulation": {},
    "plan": dict(_COUNCIL),
    "protocol": {
        "meeting": ("заседание, по которому составлен протокол", {
            "number": "номер заседания",
            "date": f"дата заседания {_DATE}",
            "time": "время: «15:00»",
            "place": "место проведения",
            "place_line": "место, а если не указано — населённый пункт",
            "remote": "да, если заседание дистанционное",
            "form": "форма: «очно» или «дистанционно»",
            "topic": "тема заседания, без точки в конце",
            "held": "да, если заседание проведено (заполнено «Присутствовало»)",
            "attended": "сколько присутствовало (число)",
            "attended_text": "сколько присутствовало, словами: «12 человек»",
            "present": "кто присутствовал, «М.П. Иванова, учитель МБОУ СОШ № 3» — список "
                       "строк; пусто, если это неизвестно наверняка",
            "registration[]": ("лист регистрации — участники на день заседания и строки "
                               "для приглашённых; пусто, если присутствовавшие перечислены "
                               "в протоколе", {
                                   "number": "№ п/п",
                                   "name": "фамилия, имя, отчество (у гостя пусто)",
                                   "position": "должность",
                                   "organization": "организация",
                               }),
            "registration_sheets": "на скольких листах лист регистрации (0 — его нет)",
            "members_count": "сколько человек в составе на день заседания (число)",
            "absent": "кто отсутствовал, «М.П. Иванова, С.Н. Карпенко»; пусто, если "
                      "в книге не указано",
            "invited": "приглашённые",
            "agenda[]": ("вопросы повестки — список: {%p for q in meeting.agenda %}", {
                "number": "номер вопроса",
                "question": "вопрос",
                "speaker": "докладчик: «М.П. Иванова»",
                "content": "что сказал докладчик (для «СЛУШАЛИ»)",
                "heard": "«СЛУШАЛИ» предложением: «Е.Н. Кутейкина представила проект "
                         "плана.»",
                "speakers": "выступили, без точки в конце; пусто, если названы одни имена",
                "said": "«ВЫСТУПИЛИ» с точкой; пусто, если названы одни имена",
                "decision": "решение с точкой в конце (или «Информацию принять к "
                            "сведению.»)",
            }),
        }),
    },
    "order_members": {
        "change": ("изменения состава, которые вносит приказ", {
            "order": ("реквизиты приказа (то же, что orders.members)", "order"),
            "dates[]": f"даты изменений — список {_DATE}",
            "joined[]": ("кого включают — список", {
                "member": ("участник", "member"),
                "since": f"с какого дня {_DATE}",
                "since_text": "с какого дня, словами: «1 октября 2025 г.»",
            }),
            "left[]": ("кого исключают — список", {
                "member": ("участник", "member"),
                "since": f"с какого дня {_DATE}",
                "since_text": "с какого дня, словами: «1 октября 2025 г.»",
            }),
            "join_item": "номер пункта «Включить» (0 — пункта нет)",
            "leave_item": "номер пункта «Исключить» (0 — пункта нет)",
            "control_item": "номер пункта о контроле",
        }),
    },
    "application_member": {
        "member": ("педагог, на которого составлена заявка", "member"),
        "org": ("его организация", "organization"),
        "member_period": "срок участия словами: с даты включения педагога (не раньше начала "
                         "работы группы) по окончание работы",
    },
    "application_org": {
        "org": ("организация, на которую составлена заявка", "organization"),
        "org_period": "срок участия словами: с самой ранней даты включения её педагогов "
                      "(не раньше начала работы группы) по окончание работы",
    },
    "tech_task": {},
    "event_report": {
        "event": ("сетевое мероприятие, о котором отчёт", "event"),
    },
    "annual_report": {
        **_COUNCIL,
        "report": ("цифры и готовые фразы отчёта за год", {
            "meetings_planned": "сколько заседаний запланировано (число)",
            "meetings_held": "сколько проведено (число)",
            "meetings_minimum": "сколько требует положение вида (число; 0 — не задано)",
            "meetings_sentence": "фраза о заседаниях: запланировано, проведено, выполнено ли "
                                 "требование",
            "attendance_sentence": "фраза о средней посещаемости или пусто",
            "meetings[]": ("заседания — список", {
                "number": "номер",
                "date": f"дата {_DATE}",
                "topic": "тема",
                "attended": "сколько присутствовало (число или пусто)",
                "attended_text": "присутствовало словами или «не проведено»",
            }),
            "members_sentence": "фраза о составе: «В состав группы входят 8 участников из 3 "
                                "организаций.»",
            "by_organization[]": ("участники по организациям — список", {
                "name": "организация",
                "count": "сколько участников",
            }),
            "by_category[]": ("участники по категориям — список", {
                "name": "категория",
                "count": "сколько участников",
            }),
            "plan_sentence": "фраза о выполнении плана",
            "plan_not_done[]": ("невыполненные пункты плана — список", {
                "activity": "мероприятие",
                "term": "срок",
                "done": "отметка о выполнении, согласованная с мероприятием: «не выполнена»",
            }),
            "plan_not_done_title": "как назван этот список по его отметкам: «Не выполнены "
                                   "или перенесены»",
            "plan_unmarked[]": ("пункты плана без отметки о выполнении — список", {
                "activity": "мероприятие",
                "term": "срок",
            }),
            "plan_by_protocol[]": ("заседания плана без отметки, проведённые по протоколу — "
                                   "список", {
                                       "activity": "мероприятие",
                                       "done": "«проведено», согласованное с мероприятием",
                                       "number": "номер протокола",
                                       "date": f"дата заседания {_DATE}",
                                   }),
            "tech_task[]": ("показатели технического задания и что достигнуто — список", {
                "number": "№ задачи",
                "task": "задача",
                "indicator": "показатель",
                "reached": "что достигнуто, или «________», если в книге не указано",
            }),
            "plan_done": "сколько пунктов плана выполнено (число)",
            "plan_total": "сколько всего пунктов плана (число)",
            "events_sentence": "фраза о сетевых мероприятиях",
            "events[]": ("сетевые мероприятия — список", {
                "name": "название",
                "date": f"дата {_DATE}",
                "form": "форма",
                "category": "кто участвовал: «педагоги», «обучающиеся» или «родители»",
                "participants_number": "количество участников (число или пусто)",
            }),
            "events_participants": "сколько всего участий в мероприятиях (число; один "
                                   "человек на трёх мероприятиях — три участия)",
            "events_by_category[]": ("участия по категориям участников, если их больше одной "
                                     "— список", {
                                         "name": "категория: «педагоги», «обучающиеся»…",
                                         "count": "сколько участий",
                                     }),
            "products_sentence": "фраза о продуктах деятельности",
            "products[]": ("продукты деятельности — список", {
                "name": "наименование",
                "kind": "вид",
                "authors": "авторы",
                "where": "где представлен",
            }),
            "date_line": "строка даты для подписи: «____» ____________ 2026 г.",
            "attendance_chart": ("диаграмма посещаемости заседаний или пусто", "chart"),
            "category_chart": ("диаграмма участников по категориям или пусто", "chart"),
        }),
    },
}

# Blank forms (`docgen blank`, docgen/forms.py): a group's context when the form is
# filled from a workbook, nothing of it when bare, and these in both cases.
FORM_FIELDS: dict[str, Field] = {
    "filled": "да, если бланк заполнен по книге группы; в пустом бланке общих полей нет — "
              "выводите их внутри {%p if filled %}",
    "rows": "номера пустых строк бланка (1, 2, 3 …) — список чисел: {%tr for n in rows %}",
    "form": ("бланк", {
        "id": "код бланка для docgen blank: zayavka-1, registration …",
        "title": "название бланка",
    }),
}

# Filters a template may use: docgen's own and the most useful of Jinja's.
# name: (what it does, an example on the common fields).
FILTERS: dict[str, tuple[str, str]] = {
    "date": ("дата цифрами", "{{ order.date|date }}"),
    "date_text": ("дата словами, как в тексте документа: «5 июня 2026 г.»",
                  "{{ group.end|date_text }}"),
    "month": ("название месяца", "{{ group.start|month }}"),
    "month_year": ("месяц и год", "{{ group.start|month_year }}"),
    "capfirst": ("первая буква прописная", "{{ head_title.nom|capfirst }}"),
    "lcfirst": ("первая буква строчная (сокращения вроде «МКУ» не меняются)",
                "{{ service_head_title.nom|lcfirst }}"),
    "quantity": ("число со словом в нужной форме: укажите слово для 1, 2 и 5 (прежнее имя — "
                 "count)", "{{ members_count|quantity('участник', 'участника', 'участников') }}"),
    "plural": ("только слово в нужной форме, без числа",
               "{{ members_count|plural('участник', 'участника', 'участников') }}"),
    "agree": ("слово по полу человека: мужская и женская форма; если пол неизвестен — обе",
              "{{ head.gender|agree('ознакомлен', 'ознакомлена') }}"),
    "nolone": ("заголовок без одинокого последнего слова: два последних слова неразрывны",
               "{{ title.gen|nolone }}"),
    "wholename": ("строка подписи или грифа: название в кавычках не разрывается внутри, "
                  "перенос — перед «", "{{ orders.open.by|wholename }}"),
    "cellname": ("организация в узком столбце таблицы: короткое название переносится после "
                 "формы («МОУ / «Гимназия № 2»»), не перед закрывающей кавычкой",
                 "{{ head.organization|cellname }}"),
    "inner_quotes": ("значение внутри кавычек шаблона: его кавычки становятся „лапками“",
                     "«{{ group.theme|inner_quotes }}»"),
    "upper": ("все буквы прописные", "{{ group.service|upper }}"),
    "lower": ("все буквы строчные", "{{ kind.name|lower }}"),
    "default": ("замена для пустого значения (второй параметр true — и для пустого текста)",
                "{{ group.direction|default('не указано', true) }}"),
    "length": ("сколько элементов в списке", "{{ members|length }}"),
    "join": ("список одной строкой через разделитель", "{{ group.tasks|join('; ') }}"),
    "replace": ("замена части текста", "{{ group.year|replace('/', '–') }}"),
    "trim": ("без пробелов в начале и в конце", "{{ group.name|trim }}"),
    "picture": ("рисунок: файл JPEG или PNG из папки книги (например, логотип) или фото "
                "мероприятия другого размера; размер в миллиметрах, по одной стороне — "
                "с сохранением пропорций. Другие файлы шаблону недоступны",
                "{{ 'логотип.png'|picture(width=30) }}"),
}

# What one document made from a template is called (kinds.DOCUMENT_NAMES names the sets).
DOCUMENT_TITLES: dict[str, str] = {
    "order_open": "приказ о создании",
    "order_head": "приказ о назначении руководителя (куратора)",
    "regulation": "положение",
    "plan": "план работы (дорожная карта)",
    "protocol": "протокол заседания",
    "application_member": "заявка педагога (приложение 1)",
    "application_org": "заявка организации (приложение 2)",
    "tech_task": "техническое задание",
    "event_report": "отчёт о сетевом событии с листом регистрации",
    "annual_report": "отчёт за год",
    "order_members": "приказ о внесении изменений в состав",
}

# Other names a clerk may type for a document in `docgen fields`.
DOCUMENT_ALIASES: dict[str, tuple[str, ...]] = {
    "order_open": ("приказ об открытии",),
    "order_head": ("приказ о назначении куратора",),
    "plan": ("дорожная карта",),
    "application_member": ("приложение 1",),
    "application_org": ("приложение 2",),
    "event_report": ("лист регистрации",),
    "annual_report": ("годовой отчёт", "анализ деятельности"),
    "order_members": ("приказ об изменении состава",),
}


# --- documents and forms ------------------------------------------------------------


def forms() -> tuple[Any, ...]:
    """The blank forms (``docgen.forms.FORMS``): their templates have fields too."""
    from docgen.forms import FORMS

    return tuple(FORMS)


def template_documents() -> tuple[str, ...]:
    """What a template can be for: every document, then every blank form's template."""
    from docgen.kinds import DOCUMENTS

    return (*DOCUMENTS, *(f.doc_id for f in forms()))


def title(doc_id: str) -> str:
    """What a document (or a blank form) made from a template is called, in Russian."""
    if doc_id in DOCUMENT_TITLES:
        return DOCUMENT_TITLES[doc_id]
    form = next(f for f in forms() if f.doc_id == doc_id)
    return f"бланк: {form.title}"


def _own_fields(doc_id: str) -> dict[str, Field]:
    if doc_id not in template_documents():
        raise KeyError(doc_id)
    return DOCUMENT_FIELDS.get(doc_id, FORM_FIELDS)


# --- the catalogue as paths ----------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One documented path: ``members[].dat.full``, what it is, and its shape if it has one."""

    path: str
    description: str
    shape: str | None = None  # a SHAPES name: the same sub-fields appear elsewhere
    is_list: bool = False


def _expand(fields: dict[str, Field], prefix: str = "") -> list[Entry]:
    entries: list[Entry] = []
    for key, field in fields.items():
        is_list = key.endswith("[]")
        name = key[:-2] if is_list else key
        path = f"{prefix}{name}"
        if isinstance(field, str):
            entries.append(Entry(path, field, None, is_list))
            continue
        description, shape = field
        sub = SHAPES[shape] if isinstance(shape, str) else shape
        entries.append(Entry(path, description, shape if isinstance(shape, str) else None,
                             is_list))
        entries += _expand(sub, f"{path}[]." if is_list else f"{path}.")
    return entries


@cache
def entries(doc_id: str | None = None) -> tuple[Entry, ...]:
    """The documented paths of a document (its own first, then the common ones).

    ``None`` is the common part alone; ``"*"`` is every document's at once.
    """
    if doc_id == "*":
        own: dict[str, Field] = {}
        for fields in (*DOCUMENT_FIELDS.values(), FORM_FIELDS if forms() else {}):
            own.update(fields)
    else:
        own = _own_fields(doc_id) if doc_id else {}
    return tuple(_expand({**own, **COMMON}))


@cache
def paths(doc_id: str | None = None) -> dict[str, str]:
    """Documented path → description, for ``entries(doc_id)``."""
    return {e.path: e.description for e in entries(doc_id)}


def roots(doc_id: str | None = None) -> set[str]:
    """The top-level variables of a document."""
    return {e.path for e in entries(doc_id) if "." not in e.path}


def all_roots() -> set[str]:
    """Every top-level variable of any document."""
    return roots("*")


# --- contexts ----------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def context_paths(context: dict[str, Any]) -> dict[str, Any]:
    """Every path of a context (in the catalogue's notation) with an example value.

    A list of dicts gives ``name`` and ``name[].key`` for every key of any item;
    its example is the first item's value that is not empty.
    """
    found: dict[str, Any] = {}

    def walk(value: Any, path: str) -> None:
        if path and (path not in found or (_empty(found[path]) and not _empty(value))):
            found[path] = value
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(sub, f"{path}.{key}" if path else str(key))
        elif isinstance(value, (list, tuple)) and value and \
                all(isinstance(item, dict) for item in value):
            for item in value:
                walk(item, f"{path}[]")

    walk(context, "")
    return {p: v for p, v in found.items() if not p.endswith("[]")}


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    return str(value)


def context_json(context: dict[str, Any]) -> str:
    """A document's context as readable JSON, for template authors (``--dump-context``).

    Dates are ISO strings («2025-08-29»): that is what ``{{ order.date }}``
    prints without a filter, so the dump shows the value as it is; a template
    writes it as «29.08.2025» with ``|date``. Tuples and sets become lists,
    anything else that JSON lacks becomes its text. Russian stays readable
    (no \\u escapes).
    """
    return json.dumps(context, ensure_ascii=False, indent=2, default=_json_default)


# --- `docgen fields` -------------------------------------------------------------


@dataclass(frozen=True)
class FieldRow:
    """One line of ``docgen fields``: a path, what it is, an example, or «as at ``same_as``»."""

    path: str
    description: str
    example: str | None = None
    same_as: str | None = None  # the path where the same sub-fields were listed in full
    is_list: bool = False
    fields: tuple[str, ...] = ()  # with same_as: this path's own sub-fields, by name

    @property
    def root(self) -> str:
        """The top-level variable: ``members`` for ``members[].dat.full``."""
        return self.path.split(".")[0].split("[")[0]


def example_text(value: Any, limit: int = 70) -> str:
    """An example value as a clerk reads it: «текст», 05.06.2026, да/нет, (пусто)."""
    if _empty(value):
        return "(пусто)"
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, dt.date):
        return f"дата {value.strftime('%d.%m.%Y')}"
    if isinstance(value, (list, tuple)):
        if all(isinstance(item, dict) for item in value):
            return f"список, элементов: {len(value)}"
        shown = "; ".join(example_text(item, 40) for item in value[:2])
        return shown + (f"; … (всего {len(value)})" if len(value) > 2 else "")
    if isinstance(value, dict):
        return "(набор полей)"
    text = " ".join(str(value).split())
    if isinstance(value, str):
        text = f"«{text[:limit - 1]}…»" if len(text) > limit else f"«{text}»"
    return text


def field_rows(doc_id: str | None, example: dict[str, Any] | None = None,
               full: bool = False) -> list[FieldRow]:
    """The rows of ``docgen fields``: a repeated part (a person, a case set) in full once.

    ``example`` is ``context_paths`` of an example document. Unless ``full``,
    a part listed once (say, ``head``) is one row the next time (``chair``).
    """
    rows: list[FieldRow] = []
    shown: dict[str, str] = {}
    skip: str | None = None
    for entry in entries(doc_id):
        if skip and (entry.path.startswith(f"{skip}.") or entry.path.startswith(f"{skip}[].")):
            continue
        skip = None
        value = example.get(entry.path) if example is not None else None
        sample = None
        if example is not None and (entry.path in example or not entry.shape):
            sample = example_text(value)
        if entry.shape and not full:
            if entry.shape in shown:
                item = f"{entry.path}[]" if entry.is_list else entry.path
                names = tuple(f"{item}.{key.removesuffix('[]')}" for key in SHAPES[entry.shape])
                rows.append(FieldRow(entry.path, entry.description, None, shown[entry.shape],
                                     entry.is_list, names))
                skip = entry.path
                continue
            shown[entry.shape] = f"{entry.path}[]" if entry.is_list else entry.path
        if entry.shape or isinstance(value, dict) or entry.is_list:
            sample = None if not entry.is_list or value is None else sample
        rows.append(FieldRow(entry.path, entry.description, sample, None, entry.is_list))
    return rows


def filter_examples(context: dict[str, Any] | None) -> list[tuple[str, str, str, str | None]]:
    """(name, description, example, its result on ``context``) for every filter."""
    from docgen.templating.sandbox import environment

    env = environment()
    rows = []
    for name, (description, expression) in FILTERS.items():
        result = None
        if context is not None:
            try:
                result = env.from_string(expression).render(context)
            except Exception:  # an example that does not fit this context: show it bare
                result = None
        rows.append((name, description, expression, result))
    return rows


# --- documents by name -------------------------------------------------------------


def _stem(word: str) -> str:
    return word if len(word) <= 4 else word[:max(4, len(word) - 2)]


def find_documents(text: str) -> list[str]:
    """Document ids that ``text`` names: an id, a Russian name or its beginning, an alias."""
    from docgen.kinds import DOCUMENT_NAMES, DOCUMENTS
    from docgen.text import norm

    wanted = norm(text).replace("ё", "е")
    if wanted in DOCUMENTS:
        return [wanted]
    words = wanted.replace("(", " ").replace(")", " ").split()
    if not words:
        return []
    exact, partial = [], []
    for doc_id in DOCUMENTS:
        names = [DOCUMENT_TITLES[doc_id], DOCUMENT_NAMES[doc_id],
                 *DOCUMENT_ALIASES.get(doc_id, ())]
        for name in (norm(n).replace("ё", "е") for n in names):
            if name == wanted:
                exact.append(doc_id)
            name_words = name.replace("(", " ").replace(")", " ").split()
            if all(any(w.startswith(_stem(q)) for w in name_words) for q in words):
                partial.append(doc_id)
    return list(dict.fromkeys(exact or partial))


# --- what a field holds, where it can be told -------------------------------------------


def value_kind(value: Any) -> str | None:
    """«text», «number» or «date» for a context value; None for a flag, a list, an empty one."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, str) and value.strip():
        return "text"
    return None


def observed_kinds(contexts: list[tuple[str, dict[str, Any]]]) -> dict[str, dict[str, str]]:
    """Per document, the kind of each path that every example context agrees on.

    The contexts are made by ``documents.py`` from the bundled example workbooks
    (every field filled): a path that holds text in all of them holds text in
    any workbook, as its value is made by the same code. A path seen with two
    kinds is left out: nothing is claimed for it.
    """
    seen: dict[str, dict[str, set[str]]] = {}
    for doc_id, context in contexts:
        for path, value in context_paths(context).items():
            kind = value_kind(value)
            if kind is not None:
                seen.setdefault(doc_id, {}).setdefault(path, set()).add(kind)
    return {doc: {path: next(iter(kinds)) for path, kinds in found.items() if len(kinds) == 1}
            for doc, found in seen.items()}


def is_date_field(description: str) -> bool:
    """Whether the catalogue says a field is a date (its description has ``_DATE``)."""
    return _DATE in description
