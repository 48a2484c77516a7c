"""Korean person search (issue 6): a name or part of it, initial consonants (초성), birth date, phone tail.

What a worker types, in any order, separated by spaces:
- a full name or part of one: ``김민수``, ``민수`` (every part must occur in the name);
- initial consonants, alone or mixed with syllables: ``ㄱㅁㅅ`` finds 김민수, ``김ㅁㅅ`` finds 김민수
  but not 고민수;
- a birth date: ``1958-03-15``, ``1958.3.15``, ``19580315`` or ``580315``;
- the last four digits of a phone number: ``6789``.

The case search (``hamkke.cases.search``, issue 13) reads the same query with ``for_cases``: a case number
(``00E0385D``, ``사례 00e0385d``, ``#00E0385D``) is recognised too, words may also be part of the
household's address or dong (``신당동``, ``다산로``) and other numbers its house number (``12``).

Only persons of households the actor may read are searched (``households_in_scope``): the search
never confirms that someone outside the actor's cases exists. The view writes the persons shown to
the access log.

On PostgreSQL the name and its initial consonants are matched through pg_trgm GIN indexes (see
migrations people 0004 and 0005: ``hamkke_chosung(name)`` is an IMMUTABLE SQL function whose
result is kept in the generated column ``name_chosung``), two-character parts through the stored
pairs of 0006 (``name_bigrams``, GIN), the birth date and the phone tail through b-trees starting
with the district.
pg_trgm only sees Hangul as letters when the database's LC_CTYPE is a UTF-8 locale: under ``C``
it builds no trigrams for Korean and every search scans the table (``trigram_locale_problem``).
On SQLite the same function is registered on the connection and the search is a scan: correct, and
fast enough for a demo district.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Right
from django.utils import timezone
from django.utils.translation import gettext as _

from hamkke.access.policy import VIEW_CASE, cases_in_scope
from hamkke.accounts.actor import Actor

from .models import Household, Person

SEARCH_LIMIT = 50
CANDIDATES = 200  # matches looked at for the ranking; beyond that the worker is asked to narrow the search
MAX_QUERY_LENGTH = 50

CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"  # the 19 initial consonants, in Unicode syllable order
SYLLABLE_FIRST, SYLLABLE_LAST = 0xAC00, 0xD7A3  # 가 … 힣
SYLLABLES_PER_INITIAL = 588  # 21 vowels × 28 finals
JAMO = re.compile(r"[\u3131-\u314e]")  # Hangul compatibility consonants, as typed on a Korean keyboard
DATE_RE = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?$")
PHONE_TAIL_RE = re.compile(r"^\d{4}$")
# A case number as shown (``Case.reference``: 8 hex digits), with or without "사례"/"case"/"#" before it.
CASE_NUMBER_RE = re.compile(r"^(?:사례번호|사례|case|no\.?)?[#:-]?([0-9a-f]{8})$", re.IGNORECASE)
CASE_NUMBER_WORDS = {"사례번호", "사례", "case", "no", "no.", "#"}  # the prefix typed apart: "사례 00E0385D"
ADDRESS_NUMBER_RE = re.compile(r"^\d{1,5}(?:-\d{1,5})?$")  # a house or lot number: "12", "12-3"
MIN_CASE_QUERY_LENGTH = 2  # one syllable or consonant would match a good part of the district


def chosung(text: str) -> str:
    """'김민수' -> 'ㄱㅁㅅ'; anything that is not a Hangul syllable stays as it is."""
    out = []
    for ch in text:
        code = ord(ch)
        if SYLLABLE_FIRST <= code <= SYLLABLE_LAST:
            out.append(CHOSEONG[(code - SYLLABLE_FIRST) // SYLLABLES_PER_INITIAL])
        else:
            out.append(ch)
    return "".join(out)


def _initials_regex(token: str) -> str:
    """'김ㅁㅅ' -> '김[마-밓][사-싷]': each typed consonant stands for the syllables it begins."""
    parts = []
    for ch in token:
        index = CHOSEONG.find(ch)
        if index < 0:
            parts.append(re.escape(ch))
            continue
        first = SYLLABLE_FIRST + index * SYLLABLES_PER_INITIAL
        parts.append(f"[{chr(first)}-{chr(first + SYLLABLES_PER_INITIAL - 1)}]")
    return "".join(parts)


class Chosung(models.Func):
    """``hamkke_chosung(name)``: the initial consonants of a text, in SQL (indexed on PostgreSQL)."""

    function = "hamkke_chosung"
    output_field = models.CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite has no such function: register the Python one on this connection (cheap, idempotent).
        connection.ensure_connection()
        connection.connection.create_function(self.function, 1, chosung, deterministic=True)
        return self.as_sql(compiler, connection, **extra_context)


@dataclass(frozen=True)
class PersonQuery:
    names: tuple[str, ...] = ()  # parts that must occur in the name (case search: or in the address)
    initials: tuple[str, ...] = ()  # tokens with initial consonants, e.g. 'ㄱㅁㅅ' or '김ㅁㅅ'
    birth_date: datetime.date | None = None
    phone_tail: str = ""
    # Case search only (``for_cases``): words may be parts of the household's address or dong, other
    # numbers its house number; ``case_number`` is a ``Case.reference`` (upper case).
    for_cases: bool = False
    address_numbers: tuple[str, ...] = ()
    case_number: str = ""
    # What the worker typed, token by token, for the page ("이름 포함: 민수", ...).
    described: tuple[str, ...] = field(default=(), compare=False)
    # The kinds of criteria, for the access log (never the values): "이름·주소", "생년월일", ...
    kinds: tuple[str, ...] = field(default=(), compare=False)

    @property
    def has_person_criteria(self) -> bool:
        """Anything to match persons and households with, besides a case number."""
        return bool(self.names or self.initials or self.birth_date or self.phone_tail or self.address_numbers)


def _birth_date(token: str) -> datetime.date | None:
    """A birth date in the usual ways of writing one, or None when the token is not date-shaped."""
    match = DATE_RE.match(token)
    if match:
        year, month, day = (int(g) for g in match.groups())
    elif re.fullmatch(r"\d{8}", token):
        year, month, day = int(token[:4]), int(token[4:6]), int(token[6:])
    elif re.fullmatch(r"\d{6}", token):  # YYMMDD, as on a resident registration card
        yy = int(token[:2])
        century = 2000 if yy <= timezone.localdate().year % 100 else 1900
        year, month, day = century + yy, int(token[2:4]), int(token[4:])
    else:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        message = _("생년월일 ‘%(token)s’이(가) 올바른 날짜가 아닙니다.") % {"token": token}
        raise ValidationError({"q": message}) from None


def parse_query(text: str, *, for_cases: bool = False) -> PersonQuery:
    """Split what the worker typed into criteria; ValidationError ({"q": ...}) when it cannot be searched.

    ``for_cases``: the case search's reading (case number, address parts; at least two characters)."""
    text = (text or "").strip()
    if not text:
        if for_cases:
            message = _("사례번호, 이름이나 초성, 주소 일부, 전화번호 끝 4자리 또는 생년월일을 입력하세요.")
        else:
            message = _("이름, 초성, 생년월일 또는 전화번호 끝 4자리를 입력하세요.")
        raise ValidationError({"q": message})
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError({"q": _("검색어는 %(n)s자 이내로 입력하세요.") % {"n": MAX_QUERY_LENGTH}})
    if for_cases and len(re.sub(r"\s", "", text)) < MIN_CASE_QUERY_LENGTH:
        raise ValidationError({"q": _("검색어를 %(n)s자 이상 입력하세요.") % {"n": MIN_CASE_QUERY_LENGTH}})
    tokens = text.split()
    if for_cases and len(tokens) > 1 and any(CASE_NUMBER_RE.match(t) for t in tokens):
        tokens = [t for t in tokens if t.lower() not in CASE_NUMBER_WORDS]  # "사례 00E0385D"
    names, initials, numbers, described, kinds = [], [], [], [], []
    birth_date, phone_tail, case_number = None, "", ""
    for token in tokens:
        number = CASE_NUMBER_RE.match(token) if for_cases else None
        if number and not token.isdigit():  # a letter among the hex digits or a prefix: only a case number
            if case_number and case_number != number.group(1).upper():
                raise ValidationError({"q": _("사례번호는 하나만 입력하세요.")})
            case_number = number.group(1).upper()
            described.append(_("사례번호: %(t)s") % {"t": case_number})
            kinds.append(_("사례번호"))
        elif PHONE_TAIL_RE.match(token):
            if phone_tail and phone_tail != token:
                raise ValidationError({"q": _("전화번호 끝 4자리는 하나만 입력하세요.")})
            phone_tail = token
            described.append(_("전화번호 끝: %(t)s") % {"t": token})
            kinds.append(_("전화번호 끝"))
        elif number and not _date_shaped(token):  # eight digits that are no date: a case number
            case_number = token
            described.append(_("사례번호: %(t)s") % {"t": case_number})
            kinds.append(_("사례번호"))
        elif (day := _birth_date(token)) is not None:
            if birth_date and birth_date != day:
                raise ValidationError({"q": _("생년월일은 하나만 입력하세요.")})
            birth_date = day
            if number:  # eight digits that are a date may be a case number too: tried first
                case_number = token
                described.append(_("사례번호 또는 생년월일: %(t)s") % {"t": token})
                kinds.append(_("사례번호"))
            else:
                described.append(_("생년월일: %(d)s") % {"d": f"{day:%Y-%m-%d}"})
            kinds.append(_("생년월일"))
        elif for_cases and ADDRESS_NUMBER_RE.match(token):
            numbers.append(token)
            described.append(_("주소 번지: %(t)s") % {"t": token})
            kinds.append(_("주소 번지"))
        elif token.isdigit():
            raise ValidationError({"q": _("숫자는 전화번호 끝 4자리나 생년월일(예: 1958-03-15)로 입력하세요.")})
        elif JAMO.search(token):
            initials.append(token)
            described.append(_("초성: %(t)s") % {"t": token})
            kinds.append(_("초성"))
        elif for_cases:
            names.append(token)
            described.append(_("이름·주소 포함: %(t)s") % {"t": token})
            kinds.append(_("이름·주소"))
        else:
            names.append(token)
            described.append(_("이름 포함: %(t)s") % {"t": token})
            kinds.append(_("이름"))
    return PersonQuery(
        names=tuple(names),
        initials=tuple(initials),
        birth_date=birth_date,
        phone_tail=phone_tail,
        for_cases=for_cases,
        address_numbers=tuple(numbers),
        case_number=case_number,
        described=tuple(described),
        kinds=tuple(dict.fromkeys(kinds)),
    )


def _date_shaped(token: str) -> bool:
    """Whether ``token`` reads as a valid birth date."""
    try:
        return _birth_date(token) is not None
    except ValidationError:
        return False


@dataclass(frozen=True)
class SearchResult:
    persons: list[Person]
    truncated: bool  # more persons matched than are shown: the worker should narrow the search

    @property
    def person_ids(self) -> list[int]:
        return [p.pk for p in self.persons]


def person_search(*, actor: Actor, query: PersonQuery, limit: int = SEARCH_LIMIT) -> SearchResult:
    """Persons the actor may read matching every criterion of ``query``: the best ``limit`` of them.

    Two short queries rather than one ordered one: asked for "ORDER BY name LIMIT 50", PostgreSQL
    walks the name index of the whole district and checks the access scope row by row (hundreds of
    milliseconds for a worker's narrow scope). Unordered, it matches through the search indexes and
    stops after ``CANDIDATES`` rows; those are ranked here (exact name, then name beginning with the
    query, then by name and birth date) and the shown ones read with their household.
    """
    found = list(
        person_search_queryset(actor=actor, query=query).values_list("pk", "name", "birth_date")[: CANDIDATES + 1]
    )
    wanted = "".join(query.names)

    def rank(row):
        _pk, name, born = row
        return (name != wanted, not name.startswith(wanted), name, born, _pk)

    shown = [row[0] for row in sorted(found[:CANDIDATES], key=rank)[:limit]]
    persons = Person.objects.select_related("household__dong").in_bulk(shown)
    return SearchResult(persons=[persons[pk] for pk in shown], truncated=len(found) > limit)


def person_search_queryset(*, actor: Actor, query: PersonQuery) -> QuerySet[Person]:
    """Every person the actor may read who matches ``query`` (unordered).

    The scope is ``people.selectors.households_in_scope`` (the households of the cases the actor
    may read), written as ``household_id IN (households of cases_in_scope)``: the same rows, in a
    shape PostgreSQL can hash once instead of probing the cases of every candidate's household.
    """
    households = cases_in_scope(actor, VIEW_CASE).filter(district_id=actor.district_id).values("household_id")
    persons = Person.objects.filter(district_id=actor.district_id, household_id__in=households)
    return matching(persons, query)


def _name_initials(connection) -> models.Expression:
    """The initials of ``Person.name``: PostgreSQL keeps them in a generated column (migration people
    0005, indexed); elsewhere they are computed."""
    if connection.vendor == "postgresql":
        return RawSQL('"people_person"."name_chosung"', (), output_field=models.CharField())
    return Chosung("name")


class HasNamePair(models.Lookup):
    """``<table>.name_bigrams @> ARRAY[part]``: the stored pairs of the name (migration people 0006), for a
    two-character part, too short for a trigram. Addressed through the query's own alias of the person
    table, so that it also holds inside a subquery (where Django renames the table U0)."""

    lookup_name = "has_name_pair"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        column = '"name"'
        if not lhs.endswith(column):
            raise ValueError("HasNamePair applies to Person.name only")
        pairs = lhs[: -len(column)] + '"name_bigrams"'
        return f"{pairs} @> ARRAY[{rhs}]::text[]", [*lhs_params, *rhs_params]


def _name_contains(part: str, *, postgres: bool) -> Q:
    latin = re.search(r"[A-Za-z]", part)
    # Hangul has no case: a plain LIKE keeps the trigram index usable; Latin letters ignore case.
    condition = Q(name__icontains=part) if latin else Q(name__contains=part)
    if postgres and len(part) == 2:  # too short for a trigram: the stored pairs (migration people 0006)
        condition &= Q(HasNamePair(F("name"), part))
    return condition


def _address_contains(part: str, prefix: str = "") -> Q:
    """The household's address, its detail or its dong's name contains ``part`` (``prefix``: the path
    from the queried model to the household)."""
    lookup = "icontains" if re.search(r"[A-Za-z]", part) else "contains"
    return (
        Q(**{f"{prefix}address__{lookup}": part})
        | Q(**{f"{prefix}address_detail__{lookup}": part})
        | Q(**{f"{prefix}dong__name__{lookup}": part})
    )


def matching(persons: QuerySet[Person], query: PersonQuery, *, district_id: int | None = None) -> QuerySet[Person]:
    """``persons`` narrowed to every criterion of ``query`` (each one servable by an index on PostgreSQL).

    For a case search (``query.for_cases``, in ``district_id``) a word may instead be part of the
    household's address, detail or dong, and a number (``12`` of "다산로 12") must be a whole number of
    its address. Such a word narrows the households first through the union of the two index-servable
    sets (persons so named, households so addressed); the per-person condition then reads few rows."""
    postgres = connections[persons.db].vendor == "postgresql"
    households = Household.objects.filter(district_id=district_id)
    for part in query.names:
        in_name = _name_contains(part, postgres=postgres)
        if query.for_cases:
            named = Person.objects.filter(in_name, district_id=district_id).values("household_id")
            lookup = "icontains" if re.search(r"[A-Za-z]", part) else "contains"
            addressed = households.filter(
                Q(**{f"address__{lookup}": part}) | Q(**{f"address_detail__{lookup}": part})
            ).values("id")
            in_dong = households.filter(**{f"dong__name__{lookup}": part}).values("id")  # from the few dongs
            persons = persons.filter(household_id__in=named.union(addressed, in_dong))
            in_name |= _address_contains(part, prefix="household__")
        persons = persons.filter(in_name)
    for number in query.address_numbers:
        whole = rf"(^|[^0-9]){re.escape(number)}([^0-9]|$)"
        # On the household joined (no subquery: estimated badly, it led the plan); LIKE first, cheaper.
        persons = persons.filter(
            Q(household__address__contains=number, household__address__regex=whole)
            | Q(household__address_detail__contains=number, household__address_detail__regex=whole)
        )
    if query.initials:
        persons = persons.annotate(name_initials=_name_initials(connections[persons.db]))
        for token in query.initials:
            persons = persons.filter(name_initials__contains=chosung(token))
            if any(ch not in CHOSEONG for ch in token):  # syllables typed too: they must match exactly
                persons = persons.filter(name__regex=_initials_regex(token))
    if query.birth_date:
        persons = persons.filter(birth_date=query.birth_date)
    if query.phone_tail:
        persons = persons.annotate(phone_tail=Right("phone", 4)).filter(phone_tail=query.phone_tail)
    return persons


# --- PostgreSQL: is pg_trgm able to index Hangul here? ----------------------------------------------------

BLIND_CTYPES = {"C", "POSIX"}


def trigram_locale_problem(connection) -> str:
    """'' when pg_trgm can index Hangul on this database; otherwise what is wrong and how to fix it.

    pg_trgm keeps only "word" characters, decided by the database's LC_CTYPE: under ``C`` (or
    POSIX) Hangul is not a letter, no trigram is made for a Korean name and the GIN index cannot
    narrow a search. The database must be created with a UTF-8 ctype.
    """
    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        ctype = cursor.fetchone()[0]
    if ctype.upper() in BLIND_CTYPES:
        return (
            f"LC_CTYPE of database {connection.settings_dict['NAME']!r} is {ctype!r}: pg_trgm ignores Hangul "
            "under it and the person search cannot use its indexes. Create the database with "
            "`createdb --template=template0 --encoding=UTF8 --lc-ctype=C.UTF-8 --lc-collate=C.UTF-8 ...`."
        )
    return ""
