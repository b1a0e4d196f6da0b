"""A byte-level scanner for the index pass over CityJSONSeq files (numba, no Python
object per feature or object).

:func:`scan_chunk` walks the complete lines of a block of the file and, for each line
that is a CityJSONFeature of the usual shape, finds what the index keeps: the line's
offset and length, the min/max of its integer ``vertices`` per axis, and per object its
id, type (a code into a table of names), attributes (their JSON text), parents (their
JSON text) and the LoDs of its geometries. Everything else (boundaries, semantics,
appearances) is skipped while checking that it is JSON.

The scanner is a JSON tokenizer, so key order, whitespace and CRLF line ends do not
matter. It gives up on a line (status :data:`FALLBACK`) whenever it cannot be certain
to read it as the msgspec decoder would: escaped characters in ids, types, known keys
or LoDs; duplicate keys or ids; a type or LoD that is not a plain string (or integer
LoD); vertices that are not triples of integers; a header line; any invalid JSON or
UTF-8. Such lines go to the ordinary decoder, one at a time, so correctness never
depends on the fast path.
"""

# numba compiles plain loops and comparisons (no generators, tuples of constants)
# ruff: noqa: SIM109, SIM110

from __future__ import annotations

import numpy as np

try:
    from numba import njit
except ImportError:  # pragma: no cover - numba is a dependency; the msgspec path remains
    njit = None  # type: ignore[assignment]

FEATURE, FALLBACK, BLANK = 0, 1, 2
#: names (types, LoDs) a table holds, and their longest name in bytes
TABLE_SIZE, NAME_BYTES = 256, 64
#: nesting deeper than this goes to the ordinary decoder
MAX_DEPTH = 256
#: digits of a vertex coordinate read as int64 without overflow
_MAX_DIGITS = 18

_QUOTE, _BSLASH, _COMMA, _COLON = 34, 92, 44, 58
_LBRACE, _RBRACE, _LBRACKET, _RBRACKET = 123, 125, 91, 93
_MINUS, _PLUS, _DOT, _ZERO, _NINE = 45, 43, 46, 48, 57

# keys the scanner looks for, as byte arrays
_K_TYPE = np.frombuffer(b"type", np.uint8)
_K_COBJ = np.frombuffer(b"CityObjects", np.uint8)
_K_VERTS = np.frombuffer(b"vertices", np.uint8)
_K_ATTRS = np.frombuffer(b"attributes", np.uint8)
_K_PARENTS = np.frombuffer(b"parents", np.uint8)
_K_GEOM = np.frombuffer(b"geometry", np.uint8)
_K_LOD = np.frombuffer(b"lod", np.uint8)
_V_FEATURE = np.frombuffer(b"CityJSONFeature", np.uint8)
_V_TRUE = np.frombuffer(b"true", np.uint8)
_V_FALSE = np.frombuffer(b"false", np.uint8)
_V_NULL = np.frombuffer(b"null", np.uint8)


def _ws(b, i, e):  # pragma: no cover - compiled
    while i < e:
        c = b[i]
        if c != 32 and c != 9 and c != 10 and c != 13:
            break
        i += 1
    return i


def _equals(b, s, e, word):  # pragma: no cover - compiled
    if e - s != word.shape[0]:
        return False
    for k in range(e - s):
        if b[s + k] != word[k]:
            return False
    return True


def _is_hex(c):  # pragma: no cover - compiled
    return (48 <= c <= 57) or (65 <= c <= 70) or (97 <= c <= 102)


def _string(b, i, e):  # pragma: no cover - compiled
    """``b[i]`` is a quote: (position after the closing quote, whether it has escapes),
    or (-1, _) when it is not a valid JSON string of valid UTF-8."""
    i += 1
    escaped = False
    while i < e:
        c = b[i]
        if c == _QUOTE:
            return i + 1, escaped
        if c == _BSLASH:
            escaped = True
            if i + 1 >= e:
                return -1, escaped
            d = b[i + 1]
            if d == 117:  # \uXXXX: a lone surrogate is left to the decoder
                if i + 5 >= e:
                    return -1, escaped
                for k in range(2, 6):
                    if not _is_hex(b[i + k]):
                        return -1, escaped
                h = b[i + 2] | 32
                if h == 100:  # d: \uD800-\uDFFF
                    return -1, escaped
                i += 6
            elif d == 34 or d == 92 or d == 47 or d == 98 or d == 102 or d == 110 \
                    or d == 114 or d == 116:
                i += 2
            else:
                return -1, escaped
        elif c < 32:
            return -1, escaped
        elif c < 128:
            i += 1
        else:  # UTF-8: lead byte and continuation bytes, no overlong forms or surrogates
            if 0xC2 <= c <= 0xDF:
                n, lo, hi = 1, 0x80, 0xBF
            elif c == 0xE0:
                n, lo, hi = 2, 0xA0, 0xBF
            elif (0xE1 <= c <= 0xEC) or c == 0xEE or c == 0xEF:
                n, lo, hi = 2, 0x80, 0xBF
            elif c == 0xED:
                n, lo, hi = 2, 0x80, 0x9F
            elif c == 0xF0:
                n, lo, hi = 3, 0x90, 0xBF
            elif 0xF1 <= c <= 0xF3:
                n, lo, hi = 3, 0x80, 0xBF
            elif c == 0xF4:
                n, lo, hi = 3, 0x80, 0x8F
            else:
                return -1, escaped
            if i + n >= e:
                return -1, escaped
            if not lo <= b[i + 1] <= hi:
                return -1, escaped
            for k in range(2, n + 1):
                if not 0x80 <= b[i + k] <= 0xBF:
                    return -1, escaped
            i += n + 1
    return -1, escaped


def _number(b, i, e):  # pragma: no cover - compiled
    """End of the JSON number at ``i``, or -1."""
    if i < e and b[i] == _MINUS:
        i += 1
    if i >= e:
        return -1
    if b[i] == _ZERO:
        i += 1
    elif 49 <= b[i] <= _NINE:
        while i < e and _ZERO <= b[i] <= _NINE:
            i += 1
    else:
        return -1
    if i < e and b[i] == _DOT:
        i += 1
        start = i
        while i < e and _ZERO <= b[i] <= _NINE:
            i += 1
        if i == start:
            return -1
    if i < e and (b[i] == 101 or b[i] == 69):
        i += 1
        if i < e and (b[i] == _PLUS or b[i] == _MINUS):
            i += 1
        start = i
        while i < e and _ZERO <= b[i] <= _NINE:
            i += 1
        if i == start:
            return -1
    return i


def _skip(b, i, e, stack):  # pragma: no cover - compiled
    """End of the JSON value that starts at ``i`` (after whitespace), or -1. Written
    out (no helper calls for whitespace, integers, plain keys and strings): it runs over
    most of every line."""
    depth = 0
    while True:
        # a value at i
        while i < e and (b[i] == 32 or b[i] == 9 or b[i] == 13 or b[i] == 10):
            i += 1
        if i >= e:
            return -1
        c = b[i]
        if c == _LBRACKET or c == _LBRACE:
            if depth >= stack.shape[0]:
                return -1
            stack[depth] = c
            depth += 1
            i += 1
            while i < e and (b[i] == 32 or b[i] == 9 or b[i] == 13 or b[i] == 10):
                i += 1
            if i >= e:
                return -1
            if b[i] == c + 2:  # ] or }: empty
                depth -= 1
                i += 1
            elif c == _LBRACE:  # the first key
                if b[i] != _QUOTE:
                    return -1
                j = i + 1
                while j < e:
                    d = b[j]
                    if d == _QUOTE or d == _BSLASH or d < 32 or d >= 128:
                        break
                    j += 1
                if j < e and b[j] == _QUOTE:
                    i = j + 1
                else:
                    i, _x = _string(b, i, e)
                    if i < 0:
                        return -1
                while i < e and (b[i] == 32 or b[i] == 9 or b[i] == 13 or b[i] == 10):
                    i += 1
                if i >= e or b[i] != _COLON:
                    return -1
                i += 1
                continue
            else:
                continue
        elif _ZERO <= c <= _NINE or c == _MINUS:
            j = i + 1 if c == _MINUS else i
            if j < e and 49 <= b[j] <= _NINE:  # an integer (most of a feature), inline
                j += 1
                while j < e and _ZERO <= b[j] <= _NINE:
                    j += 1
                if j < e and (b[j] == _DOT or b[j] == 101 or b[j] == 69):
                    j = _number(b, i, e)
            else:
                j = _number(b, i, e)
            if j < 0:
                return -1
            i = j
        elif c == _QUOTE:
            j = i + 1
            while j < e:
                d = b[j]
                if d == _QUOTE or d == _BSLASH or d < 32 or d >= 128:
                    break
                j += 1
            if j < e and b[j] == _QUOTE:
                i = j + 1
            else:
                i, _x = _string(b, i, e)
                if i < 0:
                    return -1
        elif c == 116:
            i = i + 4 if _equals(b, i, min(i + 4, e), _V_TRUE) else -1
        elif c == 102:
            i = i + 5 if _equals(b, i, min(i + 5, e), _V_FALSE) else -1
        elif c == 110:
            i = i + 4 if _equals(b, i, min(i + 4, e), _V_NULL) else -1
        else:
            return -1
        if i < 0:
            return -1
        # after a value: separators and closing brackets
        while True:
            if depth == 0:
                return i
            while i < e and (b[i] == 32 or b[i] == 9 or b[i] == 13 or b[i] == 10):
                i += 1
            if i >= e:
                return -1
            c = b[i]
            top = stack[depth - 1]
            if c == _COMMA:
                i += 1
                if top == _LBRACE:  # the next key
                    while i < e and (b[i] == 32 or b[i] == 9 or b[i] == 13 or b[i] == 10):
                        i += 1
                    if i >= e or b[i] != _QUOTE:
                        return -1
                    j = i + 1
                    while j < e:
                        d = b[j]
                        if d == _QUOTE or d == _BSLASH or d < 32 or d >= 128:
                            break
                        j += 1
                    if j < e and b[j] == _QUOTE:
                        i = j + 1
                    else:
                        i, _x = _string(b, i, e)
                        if i < 0:
                            return -1
                    while i < e and (b[i] == 32 or b[i] == 9 or b[i] == 13 or b[i] == 10):
                        i += 1
                    if i >= e or b[i] != _COLON:
                        return -1
                    i += 1
                break  # a value next
            elif c == top + 2:  # the closing bracket of the innermost container
                depth -= 1
                i += 1
            else:
                return -1


def _key(b, i, e):  # pragma: no cover - compiled
    """A key and its colon at ``i`` (after whitespace): (key start, key end, position
    after the colon), start -1 when invalid or escaped."""
    if i < e and b[i] <= 32:
        i = _ws(b, i, e)
    if i >= e or b[i] != _QUOTE:
        return -1, -1, -1
    s = i + 1
    i, escaped = _string(b, i, e)
    if i < 0 or escaped:
        return -1, -1, -1
    ke = i - 1
    if i < e and b[i] <= 32:
        i = _ws(b, i, e)
    if i >= e or b[i] != _COLON:
        return -1, -1, -1
    return s, ke, i + 1


def _fast_key(b, i, e):  # pragma: no cover - compiled
    """:func:`_key` with the usual case (a short ASCII key without escapes) first."""
    if i < e and b[i] <= 32:
        i = _ws(b, i, e)
    if i < e and b[i] == _QUOTE:
        j = i + 1
        while j < e:
            c = b[j]
            if c == _QUOTE or c == _BSLASH or c < 32 or c >= 128:
                break
            j += 1
        if j < e and b[j] == _QUOTE:
            k = j + 1
            if k < e and b[k] <= 32:
                k = _ws(b, k, e)
            if k < e and b[k] == _COLON:
                return i + 1, j, k + 1
            return -1, -1, -1
    return _key(b, i, e)


def _next(b, i, e, close):  # pragma: no cover - compiled
    """After a member: (position, 1) after a comma, (position, 0) after ``close``, or
    (-1, 0)."""
    if i < e and b[i] <= 32:
        i = _ws(b, i, e)
    if i >= e:
        return -1, 0
    if b[i] == _COMMA:
        return i + 1, 1
    if b[i] == close:
        return i + 1, 0
    return -1, 0


def _lookup(b, s, e, table, lengths, count):  # pragma: no cover - compiled
    """The code of name ``b[s:e]`` in the table (added when new), or -1 when full or
    too long."""
    n = e - s
    for k in range(count[0]):
        if lengths[k] == n:
            same = True
            for j in range(n):
                if table[k, j] != b[s + j]:
                    same = False
                    break
            if same:
                return k
    if n > table.shape[1] or count[0] >= table.shape[0]:
        return -1
    k = count[0]
    for j in range(n):
        table[k, j] = b[s + j]
    lengths[k] = n
    count[0] = k + 1
    return k


def _vertices(b, i, e, lo, hi):  # pragma: no cover - compiled
    """A ``[[x, y, z], ...]`` of integers at ``i``: (position after it, count), their
    min/max in ``lo``/``hi``; (-1, 0) for anything else."""
    if i < e and b[i] <= 32:
        i = _ws(b, i, e)
    if i >= e or b[i] != _LBRACKET:
        return -1, 0
    i = i + 1
    if i < e and b[i] <= 32:
        i = _ws(b, i, e)
    if i < e and b[i] == _RBRACKET:
        return i + 1, 0
    count = 0
    while True:
        if i < e and b[i] <= 32:
            i = _ws(b, i, e)
        if i >= e or b[i] != _LBRACKET:
            return -1, 0
        i += 1
        for axis in range(3):
            if i < e and b[i] <= 32:
                i = _ws(b, i, e)
            negative = False
            if i < e and b[i] == _MINUS:
                negative = True
                i += 1
            start = i
            value = 0
            while i < e and _ZERO <= b[i] <= _NINE:
                value = value * 10 + (b[i] - _ZERO)
                i += 1
            digits = i - start
            if digits == 0 or digits > _MAX_DIGITS or (digits > 1 and b[start] == _ZERO):
                return -1, 0
            if negative:
                value = -value
            if value < lo[axis]:
                lo[axis] = value
            if value > hi[axis]:
                hi[axis] = value
            if i < e and b[i] <= 32:
                i = _ws(b, i, e)
            if i >= e:
                return -1, 0
            if axis < 2:
                if b[i] != _COMMA:
                    return -1, 0
                i += 1
            elif b[i] != _RBRACKET:
                return -1, 0
            else:
                i += 1
        count += 1
        i, more = _next(b, i, e, _RBRACKET)
        if i < 0:
            return -1, 0
        if not more:
            return i, count


def _line(b, s, e, lo, hi, obj_base, id_bounds, id_blob, obj_type, attr_bounds, attr_blob,
          par_bounds, par_blob, types, type_lengths, n_types, lods, lod_lengths, n_lods,
          stack, used):  # pragma: no cover - compiled
    """One line ``b[s:e]``: (status, objects, vertices). Objects are written from
    ``obj_base``; ``used`` holds the bytes used in the id, attribute and parent blobs
    and is only advanced for a FEATURE line. (FALLBACK, -1, 0) when the object arrays
    are full."""
    i = s
    if i < e and b[i] <= 32:
        i = _ws(b, i, e)
    if i >= e:
        return BLANK, 0, 0
    if b[i] != _LBRACE:
        return FALLBACK, 0, 0
    id_used, attr_used, par_used = used[0], used[1], used[2]
    n_obj = 0
    n_verts = 0
    seen = 0  # bits: type, CityObjects, vertices
    is_feature = False
    i += 1
    j = i
    if j < e and b[j] <= 32:
        j = _ws(b, j, e)
    more = 1
    if j < e and b[j] == _RBRACE:
        i, more = j + 1, 0
    while more:
        ks, ke, i = _fast_key(b, i, e)
        if ks < 0:
            return FALLBACK, 0, 0
        if ke - ks == 4 and _equals(b, ks, ke, _K_TYPE):
            if seen & 1:
                return FALLBACK, 0, 0
            seen |= 1
            if i < e and b[i] <= 32:
                i = _ws(b, i, e)
            if i < e and b[i] == _QUOTE:
                vs = i + 1
                i, escaped = _string(b, i, e)
                if i < 0 or escaped:
                    return FALLBACK, 0, 0
                is_feature = _equals(b, vs, i - 1, _V_FEATURE)
            else:
                return FALLBACK, 0, 0
        elif ke - ks == 8 and _equals(b, ks, ke, _K_VERTS):
            if seen & 4:
                return FALLBACK, 0, 0
            seen |= 4
            i, n_verts = _vertices(b, i, e, lo, hi)
            if i < 0:
                return FALLBACK, 0, 0
        elif ke - ks == 11 and _equals(b, ks, ke, _K_COBJ):
            if seen & 2:
                return FALLBACK, 0, 0
            seen |= 2
            if i < e and b[i] <= 32:
                i = _ws(b, i, e)
            if i >= e or b[i] != _LBRACE:
                return FALLBACK, 0, 0
            i = i + 1
            if i < e and b[i] <= 32:
                i = _ws(b, i, e)
            more_objects = 1
            if i < e and b[i] == _RBRACE:
                i, more_objects = i + 1, 0
            while more_objects:
                ids, ide, i = _fast_key(b, i, e)  # the object's id
                if ids < 0:
                    return FALLBACK, 0, 0
                k = obj_base + n_obj
                if k + 1 >= id_bounds.shape[0]:
                    return FALLBACK, -1, 0
                for m in range(n_obj):  # a repeated id: the decoder keeps the last one
                    p = obj_base + m
                    if _equals(id_blob, id_bounds[p], id_bounds[p + 1], b[ids:ide]):
                        return FALLBACK, 0, 0
                id_bounds[k] = id_used
                id_blob[id_used:id_used + ide - ids] = b[ids:ide]
                id_used += ide - ids
                id_bounds[k + 1] = id_used
                type_code = -2  # no type: ""
                attr_s, attr_e, par_s, par_e = -1, -1, -1, -1
                if i < e and b[i] <= 32:
                    i = _ws(b, i, e)
                if i >= e or b[i] != _LBRACE:
                    return FALLBACK, 0, 0
                i = i + 1
                if i < e and b[i] <= 32:
                    i = _ws(b, i, e)
                fields = 0  # bits: type, attributes, parents, geometry
                more_fields = 1
                if i < e and b[i] == _RBRACE:
                    i, more_fields = i + 1, 0
                while more_fields:
                    fs, fe, i = _fast_key(b, i, e)
                    if fs < 0:
                        return FALLBACK, 0, 0
                    if fe - fs == 4 and _equals(b, fs, fe, _K_TYPE):
                        if fields & 1:
                            return FALLBACK, 0, 0
                        fields |= 1
                        if i < e and b[i] <= 32:
                            i = _ws(b, i, e)
                        if i >= e or b[i] != _QUOTE:
                            return FALLBACK, 0, 0
                        vs = i + 1
                        i, escaped = _string(b, i, e)
                        if i < 0 or escaped:
                            return FALLBACK, 0, 0
                        type_code = _lookup(b, vs, i - 1, types, type_lengths, n_types)
                        if type_code < 0:
                            return FALLBACK, 0, 0
                    elif fe - fs == 10 and _equals(b, fs, fe, _K_ATTRS):
                        if fields & 2:
                            return FALLBACK, 0, 0
                        fields |= 2
                        attr_s = i
                        if attr_s < e and b[attr_s] <= 32:
                            attr_s = _ws(b, attr_s, e)
                        i = attr_e = _skip(b, attr_s, e, stack)
                    elif fe - fs == 7 and _equals(b, fs, fe, _K_PARENTS):
                        if fields & 4:
                            return FALLBACK, 0, 0
                        fields |= 4
                        par_s = i
                        if par_s < e and b[par_s] <= 32:
                            par_s = _ws(b, par_s, e)
                        i = par_e = _skip(b, par_s, e, stack)
                    elif fe - fs == 8 and _equals(b, fs, fe, _K_GEOM):
                        if fields & 8:
                            return FALLBACK, 0, 0
                        fields |= 8
                        if i < e and b[i] <= 32:
                            i = _ws(b, i, e)
                        if i < e and b[i] == 110:  # null
                            i = i + 4 if _equals(b, i, min(i + 4, e), _V_NULL) else -1
                        elif i < e and b[i] == _LBRACKET:
                            i = i + 1
                            if i < e and b[i] <= 32:
                                i = _ws(b, i, e)
                            more_geoms = 1
                            if i < e and b[i] == _RBRACKET:
                                i, more_geoms = i + 1, 0
                            while more_geoms:
                                if i < e and b[i] <= 32:
                                    i = _ws(b, i, e)
                                if i >= e or b[i] != _LBRACE:
                                    return FALLBACK, 0, 0
                                i = i + 1
                                if i < e and b[i] <= 32:
                                    i = _ws(b, i, e)
                                has_lod = False
                                more_keys = 1
                                if i < e and b[i] == _RBRACE:
                                    i, more_keys = i + 1, 0
                                while more_keys:
                                    gs, ge, i = _fast_key(b, i, e)
                                    if gs < 0:
                                        return FALLBACK, 0, 0
                                    if ge - gs == 3 and _equals(b, gs, ge, _K_LOD):
                                        if has_lod:
                                            return FALLBACK, 0, 0
                                        has_lod = True
                                        if i < e and b[i] <= 32:
                                            i = _ws(b, i, e)
                                        if i >= e:
                                            return FALLBACK, 0, 0
                                        if b[i] == _QUOTE:
                                            vs = i + 1
                                            i, escaped = _string(b, i, e)
                                            if i < 0 or escaped:
                                                return FALLBACK, 0, 0
                                            if _lookup(b, vs, i - 1, lods, lod_lengths,
                                                       n_lods) < 0:
                                                return FALLBACK, 0, 0
                                        elif 49 <= b[i] <= _NINE or (
                                                b[i] == _ZERO and (i + 1 >= e or not (
                                                    _ZERO <= b[i + 1] <= _NINE))):
                                            vs = i  # a plain integer: str() of it
                                            while i < e and _ZERO <= b[i] <= _NINE:
                                                i += 1
                                            if i < e and (b[i] == _DOT or b[i] == 101
                                                          or b[i] == 69):
                                                return FALLBACK, 0, 0
                                            if _lookup(b, vs, i, lods, lod_lengths,
                                                       n_lods) < 0:
                                                return FALLBACK, 0, 0
                                        elif b[i] == 110:  # null: no LoD
                                            i = i + 4 if _equals(b, i, min(i + 4, e),
                                                                 _V_NULL) else -1
                                        else:
                                            return FALLBACK, 0, 0
                                    else:
                                        i = _skip(b, i, e, stack)
                                    if i < 0:
                                        return FALLBACK, 0, 0
                                    if i < e and b[i] <= 32:  # _next() inline
                                        i = _ws(b, i, e)
                                    if i < e and b[i] == _COMMA:
                                        i, more_keys = i + 1, 1
                                    elif i < e and b[i] == _RBRACE:
                                        i, more_keys = i + 1, 0
                                    else:
                                        i, more_keys = -1, 0
                                    if i < 0:
                                        return FALLBACK, 0, 0
                                if i < e and b[i] <= 32:  # _next() inline
                                    i = _ws(b, i, e)
                                if i < e and b[i] == _COMMA:
                                    i, more_geoms = i + 1, 1
                                elif i < e and b[i] == _RBRACKET:
                                    i, more_geoms = i + 1, 0
                                else:
                                    i, more_geoms = -1, 0
                                if i < 0:
                                    return FALLBACK, 0, 0
                        else:
                            return FALLBACK, 0, 0
                    else:
                        i = _skip(b, i, e, stack)
                    if i < 0:
                        return FALLBACK, 0, 0
                    if i < e and b[i] <= 32:  # _next() inline
                        i = _ws(b, i, e)
                    if i < e and b[i] == _COMMA:
                        i, more_fields = i + 1, 1
                    elif i < e and b[i] == _RBRACE:
                        i, more_fields = i + 1, 0
                    else:
                        i, more_fields = -1, 0
                    if i < 0:
                        return FALLBACK, 0, 0
                if type_code == -2:
                    type_code = _lookup(b, 0, 0, types, type_lengths, n_types)
                obj_type[k] = type_code
                attr_bounds[k] = attr_used
                if attr_s >= 0 and b[attr_s] == _LBRACE:
                    n = attr_e - attr_s
                    attr_blob[attr_used:attr_used + n] = b[attr_s:attr_e]
                    attr_used += n
                else:
                    attr_blob[attr_used] = _LBRACE
                    attr_blob[attr_used + 1] = _RBRACE
                    attr_used += 2
                attr_blob[attr_used] = _COMMA
                attr_used += 1
                attr_bounds[k + 1] = attr_used
                par_bounds[k] = par_used
                if par_s >= 0:
                    n = par_e - par_s
                    par_blob[par_used:par_used + n] = b[par_s:par_e]
                    par_used += n
                par_bounds[k + 1] = par_used
                n_obj += 1
                if i < e and b[i] <= 32:  # _next() inline
                    i = _ws(b, i, e)
                if i < e and b[i] == _COMMA:
                    i, more_objects = i + 1, 1
                elif i < e and b[i] == _RBRACE:
                    i, more_objects = i + 1, 0
                else:
                    i, more_objects = -1, 0
                if i < 0:
                    return FALLBACK, 0, 0
        else:
            i = _skip(b, i, e, stack)
            if i < 0:
                return FALLBACK, 0, 0
        if i < e and b[i] <= 32:  # _next() inline
            i = _ws(b, i, e)
        if i < e and b[i] == _COMMA:
            i, more = i + 1, 1
        elif i < e and b[i] == _RBRACE:
            i, more = i + 1, 0
        else:
            i, more = -1, 0
        if i < 0:
            return FALLBACK, 0, 0
    if _ws(b, i, e) != e or not is_feature or not seen & 2:
        return FALLBACK, 0, 0
    used[0], used[1], used[2] = id_used, attr_used, par_used
    return FEATURE, n_obj, n_verts


def _scan(b, start, stop, final, newlines, line_start, line_length, status, vmin, vmax,
          n_vertices, n_objects, id_bounds, id_blob, obj_type, attr_bounds, attr_blob,
          par_bounds, par_blob, types, type_lengths, n_types, lods, lod_lengths, n_lods,
          stack):  # pragma: no cover - compiled
    """Lines of ``b[start:stop]`` (the last one only when ``final``, else up to the last
    newline; ``newlines``: the positions of the newlines in it, found by numpy):
    (position reached, lines, objects). Stops early when the line or object arrays are
    full."""
    pos = start
    n_lines = 0
    n_obj = 0
    used = np.zeros(3, np.int64)
    lo = np.empty(3, np.int64)
    hi = np.empty(3, np.int64)
    big = 9223372036854775807
    k = 0  # the next newline
    while pos < stop and n_lines < line_start.shape[0]:
        e = newlines[k] if k < newlines.shape[0] else stop
        k += 1
        if e >= stop and not final:
            break
        length = e - pos + 1 if e < stop else e - pos
        lo[:] = big
        hi[:] = -big
        kind, count, verts = _line(b, pos, e, lo, hi, n_obj, id_bounds, id_blob, obj_type,
                                   attr_bounds, attr_blob, par_bounds, par_blob, types,
                                   type_lengths, n_types, lods, lod_lengths, n_lods, stack,
                                   used)
        if count < 0:  # the object arrays are full: the caller goes on from here
            break
        line_start[n_lines] = pos
        line_length[n_lines] = length
        status[n_lines] = kind
        n_objects[n_lines] = count
        n_vertices[n_lines] = verts
        if kind == FEATURE and verts:
            vmin[n_lines, :] = lo
            vmax[n_lines, :] = hi
        n_obj += count
        n_lines += 1
        pos += length
    return pos, n_lines, n_obj, used[0], used[1], used[2]


if njit is not None:
    _jit = njit(cache=True, nogil=True)
    _ws = _jit(_ws)
    _equals = _jit(_equals)
    _is_hex = _jit(_is_hex)
    _string = _jit(_string)
    _number = _jit(_number)
    _skip = _jit(_skip)
    _key = _jit(_key)
    _next = _jit(_next)
    _fast_key = _jit(_fast_key)
    _lookup = _jit(_lookup)
    _vertices = _jit(_vertices)
    _line = _jit(_line)
    _scan = _jit(_scan)
    AVAILABLE = True
else:  # pragma: no cover
    AVAILABLE = False


class ScanTables:
    """The names (object types, LoDs) met so far, shared by every chunk of a file."""

    def __init__(self) -> None:
        self.types = np.zeros((TABLE_SIZE, NAME_BYTES), np.uint8)
        self.type_lengths = np.zeros(TABLE_SIZE, np.int64)
        self.n_types = np.zeros(1, np.int64)
        self.lods = np.zeros((TABLE_SIZE, NAME_BYTES), np.uint8)
        self.lod_lengths = np.zeros(TABLE_SIZE, np.int64)
        self.n_lods = np.zeros(1, np.int64)
        self.stack = np.zeros(MAX_DEPTH, np.uint8)

    @staticmethod
    def _names(table: np.ndarray, lengths: np.ndarray, count: np.ndarray) -> list[str]:
        return [bytes(table[k, :lengths[k]]).decode("utf-8") for k in range(int(count[0]))]

    def type_names(self) -> list[str]:
        return self._names(self.types, self.type_lengths, self.n_types)

    def lod_names(self) -> list[str]:
        return self._names(self.lods, self.lod_lengths, self.n_lods)


class ChunkScan:
    """What :func:`scan_chunk` found in a block: per line (``line_start`` relative to
    the block, ``status``, vertex min/max and count, object count) and per object of the
    FEATURE lines (ids, type codes, attribute and parent JSON text as blobs + bounds)."""

    def __init__(self, end: int, n_lines: int, n_objects: int, arrays: dict[str, np.ndarray],
                 used: tuple[int, int, int]) -> None:
        self.end = end
        self.n_lines = n_lines
        self.n_objects = n_objects
        a = arrays
        self.line_start = a["line_start"][:n_lines]
        self.line_length = a["line_length"][:n_lines]
        self.status = a["status"][:n_lines]
        self.vmin = a["vmin"][:n_lines]
        self.vmax = a["vmax"][:n_lines]
        self.n_vertices = a["n_vertices"][:n_lines]
        self.n_objects_per_line = a["n_objects"][:n_lines]
        self.id_bounds = a["id_bounds"][:n_objects + 1]
        self.id_blob = a["id_blob"][:used[0]]
        self.obj_type = a["obj_type"][:n_objects]
        self.attr_bounds = a["attr_bounds"][:n_objects + 1]
        self.attr_blob = a["attr_blob"][:used[1]]
        self.par_bounds = a["par_bounds"][:n_objects + 1]
        self.par_blob = a["par_blob"][:used[2]]


def scan_chunk(buf: np.ndarray, start: int, stop: int, final: bool,
               tables: ScanTables, max_lines: int, max_objects: int) -> ChunkScan:
    """Scan the lines of ``buf[start:stop]`` (uint8) until the end, the last newline
    (unless ``final``), ``max_lines`` lines or ``max_objects`` objects."""
    size = stop - start
    arrays: dict[str, np.ndarray] = {
        "line_start": np.empty(max_lines, np.int64),
        "line_length": np.empty(max_lines, np.int64),
        "status": np.empty(max_lines, np.uint8),
        "vmin": np.zeros((max_lines, 3), np.int64),
        "vmax": np.zeros((max_lines, 3), np.int64),
        "n_vertices": np.empty(max_lines, np.int64),
        "n_objects": np.empty(max_lines, np.int64),
        "id_bounds": np.zeros(max_objects + 1, np.int64),
        "id_blob": np.empty(size, np.uint8),
        "obj_type": np.empty(max_objects, np.int32),
        "attr_bounds": np.zeros(max_objects + 1, np.int64),
        "attr_blob": np.empty(size + 3 * max_objects, np.uint8),
        "par_bounds": np.zeros(max_objects + 1, np.int64),
        "par_blob": np.empty(size, np.uint8),
    }
    a = arrays
    newlines = np.flatnonzero(buf[start:stop] == 10)
    newlines += start
    end, n_lines, n_obj, ids, attrs, pars = _scan(
        buf, start, stop, final, newlines, a["line_start"], a["line_length"], a["status"],
        a["vmin"], a["vmax"], a["n_vertices"], a["n_objects"], a["id_bounds"], a["id_blob"],
        a["obj_type"], a["attr_bounds"], a["attr_blob"], a["par_bounds"], a["par_blob"],
        tables.types, tables.type_lengths, tables.n_types, tables.lods, tables.lod_lengths,
        tables.n_lods, tables.stack)
    return ChunkScan(int(end), int(n_lines), int(n_obj), arrays,
                     (int(ids), int(attrs), int(pars)))
