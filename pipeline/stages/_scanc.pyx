# cython: language_level=3, boundscheck=False, wraparound=False
"""`unicode._page_scan` as one C loop over the string's own code points: the lines holding work
for `unicode`'s fix pass, those holding an odd space, those with two ordinary spaces in a row or
one at either end, the marks of the work lines and the offsets of the newlines.

Why: `_page_scan` (numpy) pays numpy's per-call overhead (a dozen calls of some thousands of
instructions each) and whole-page temporaries (the page in UTF-16, the masks, the gathers):
about 100,000 instructions for a page of a few thousand characters. Here each character costs a
few instructions: printable ASCII (most of a page) is told by a comparison, the others are
looked up in the same 64 K-entry table of the kinds (`unicode._UNIT_KINDS`, passed in by the
caller), and the lists are built as the loop meets their items.

What: exactly `_page_scan(text)`'s answer for every string (`tests/test_fastpaths.py` compares
them on the bench pages and with hypothesis):

    page_scan("a\u00a0b\nc \n\u200bÃ©", kinds) -> ([2], [0], [1], {2: [0, 1, 2]}, [3, 6])

`_page_scan` reads the page's UTF-16 code units, so a character above the BMP is two surrogates,
each looked up in the table (the line gets both units' kinds), and its marks and newlines are
None for such a page (its offsets would be units, not the string's indexes): the same here. A
lone surrogate is one unit there and one code point here, looked up alike.

Built by `build_stages.py` with the mypyc modules and keyed by the same digest
(`pipeline.native`): a stale build never runs, and `NEWSCLEAN_STAGES=source` runs numpy's scan.
"""

from cpython.bytes cimport PyBytes_AS_STRING, PyBytes_GET_SIZE
from libc.stdint cimport uint8_t, uint16_t, uint32_t
from cpython.unicode cimport PyUnicode_1BYTE_KIND, PyUnicode_2BYTE_KIND, PyUnicode_DATA, PyUnicode_GET_LENGTH, PyUnicode_KIND

# the kinds' bits, as `unicode._WORK`, `_ODD`
cdef enum:
    WORK = 1
    ODD = 2

# the string's code units as Python stores them (one, two or four bytes a character, whatever its
# widest character needs): one compiled loop for each
ctypedef fused char_t:
    uint8_t
    uint16_t
    uint32_t


def page_scan(str text, bytes table):
    """`unicode._page_scan(text)`: `(work, odd, spaced, marks, newlines)`; `table`: the kinds of
    the 65,536 UTF-16 code units (`unicode._UNIT_KINDS`)."""
    if PyBytes_GET_SIZE(table) != 0x10000:
        raise ValueError("the kinds table has 65,536 entries")
    cdef const unsigned char* kinds = <const unsigned char*>PyBytes_AS_STRING(table)
    cdef int kind = PyUnicode_KIND(text)
    cdef Py_ssize_t size = PyUnicode_GET_LENGTH(text)
    if kind == PyUnicode_1BYTE_KIND:
        return _scan(<const uint8_t*>PyUnicode_DATA(text), size, kinds)
    if kind == PyUnicode_2BYTE_KIND:
        return _scan(<const uint16_t*>PyUnicode_DATA(text), size, kinds)
    return _scan(<const uint32_t*>PyUnicode_DATA(text), size, kinds)


cdef tuple _scan(const char_t* data, Py_ssize_t size, const unsigned char* kinds):
    cdef Py_ssize_t i = 0
    cdef Py_ssize_t start = 0  # the line's first character
    cdef Py_ssize_t line = 0  # the line of character i
    cdef Py_ssize_t last_work = -1, last_odd = -1, last_spaced = -1  # the last line put in each list
    cdef unsigned int c  # (not Py_UCS4, which Cython treats as a one-character string in arithmetic)
    cdef unsigned char k
    cdef bint wide = False  # a character above the BMP seen
    cdef list work = [], odd = [], spaced = [], newlines = []
    cdef dict marks = {}
    cdef list here = None  # the marks of the last work line
    while i < size:
        c = data[i]
        if 0x20 < c < 0x7F:  # printable ASCII but the space (most of a page): of no kind
            i += 1
            continue
        if c == 0x20:
            # "  " or "\n " (or a space first in the text): the space's line
            if (i == 0 or data[i - 1] == 0x20 or data[i - 1] == 10) and last_spaced != line:
                spaced.append(line)
                last_spaced = line
            i += 1
            continue
        if c == 10:
            # " \n": the line that ends with the space
            if i and data[i - 1] == 0x20 and last_spaced != line:
                spaced.append(line)
                last_spaced = line
            newlines.append(i)
            line += 1
            i += 1
            start = i
            continue
        if c < 0x10000:
            k = kinds[c]
        else:  # the two surrogates of UTF-16, each of its kinds (as `_page_scan` reads them)
            wide = True
            k = kinds[0xD800 + ((c - 0x10000) >> 10)] | kinds[0xDC00 + (c & 0x3FF)]
        if k & WORK:
            if last_work != line:
                work.append(line)
                last_work = line
                here = []
                marks[line] = here
            here.append(i - start)  # (offsets are read only when no character is wide)
        if k & ODD and last_odd != line:
            odd.append(line)
            last_odd = line
        i += 1
    if size and data[size - 1] == 0x20 and last_spaced != line:  # the text ends with a space
        spaced.append(line)
    if wide:
        return work, odd, spaced, None, None
    return work, odd, spaced, marks, newlines
