# cython: language_level=3, boundscheck=False, wraparound=False
"""`unicode._page_scan` as one C loop over the string's own code points: the lines holding work
for `unicode`'s fix pass, those holding an odd space, those with two ordinary spaces in a row or
one at either end, the marks of the work lines and the offsets of the newlines.

Why: `_page_scan` (numpy) pays numpy's per-call overhead (a dozen calls of some thousands of
instructions each) and whole-page temporaries (the page in UTF-16, the masks, the gathers):
about 100,000 instructions for a page of a few thousand characters. Here each character costs a
few instructions: the runs of printable ASCII (most of a page) are passed over 8 or 16 bytes at
a time (SSE2), the other characters are looked up in the same 64 K-entry table of the kinds
(`unicode._UNIT_KINDS`, passed in by the caller), and the lists are built as the loop meets
their items.

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

# The runs of characters the loop would pass over with no effect, skipped 16 bytes at a time
# (SSE2, part of every x86-64; elsewhere nothing is skipped and the loop reads them one by one):
# printable ASCII (U+0020-U+007E) but a space after a space or a newline. `scanc_skip16(p, i, n)`:
# the first index from i whose unit is not of those, or where fewer than 8 units are left; called
# only right after the loop read unit i - 1 as printable ASCII (`scanc_skip8`: bytes, 16 at a time).
cdef extern from *:
    """
    #include <stdint.h>
    #if defined(__SSE2__)
    #include <emmintrin.h>
    #endif
    static inline Py_ssize_t scanc_skip16(const uint16_t* p, Py_ssize_t i, Py_ssize_t n) {
    #if defined(__SSE2__)
        const __m128i space = _mm_set1_epi16(0x20);
        const __m128i span = _mm_set1_epi16(0x7E - 0x20), zero = _mm_setzero_si128();
        while (i + 8 <= n) {
            __m128i x = _mm_loadu_si128((const __m128i*)(p + i));
            /* each unit's predecessor: a newline among them is in the block before the unit
               (the block stops there first) or the unit before i, which the loop has just read
               as printable ASCII (the skip runs only after such a unit), so only spaces count */
            __m128i y = _mm_loadu_si128((const __m128i*)(p + i - 1));
            /* zero where 0x20 <= x <= 0x7E (below 0x20 the subtraction wraps round to the top) */
            __m128i out = _mm_subs_epu16(_mm_sub_epi16(x, space), span);
            __m128i stop = _mm_or_si128(_mm_cmpeq_epi16(_mm_cmpeq_epi16(out, zero), zero),
                                        _mm_and_si128(_mm_cmpeq_epi16(x, space), _mm_cmpeq_epi16(y, space)));
            int m = _mm_movemask_epi8(stop);
            if (m) return i + (__builtin_ctz((unsigned)m) >> 1);
            i += 8;
        }
    #endif
        return i;
    }
    static inline Py_ssize_t scanc_skip8(const uint8_t* p, Py_ssize_t i, Py_ssize_t n) {
    #if defined(__SSE2__)
        const __m128i space = _mm_set1_epi8(0x20);
        const __m128i span = _mm_set1_epi8(0x7E - 0x20), zero = _mm_setzero_si128();
        while (i + 16 <= n) {
            __m128i x = _mm_loadu_si128((const __m128i*)(p + i));
            __m128i y = _mm_loadu_si128((const __m128i*)(p + i - 1));
            __m128i out = _mm_subs_epu8(_mm_sub_epi8(x, space), span);
            __m128i stop = _mm_or_si128(_mm_cmpeq_epi8(_mm_cmpeq_epi8(out, zero), zero),
                                        _mm_and_si128(_mm_cmpeq_epi8(x, space), _mm_cmpeq_epi8(y, space)));
            int m = _mm_movemask_epi8(stop);
            if (m) return i + __builtin_ctz((unsigned)m);
            i += 16;
        }
    #endif
        return i;
    }
    """
    Py_ssize_t scanc_skip16(const uint16_t* p, Py_ssize_t i, Py_ssize_t n) nogil
    Py_ssize_t scanc_skip8(const uint8_t* p, Py_ssize_t i, Py_ssize_t n) nogil


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
            if char_t is uint16_t:  # (and the run it starts, if any)
                i = scanc_skip16(data, i, size)
            elif char_t is uint8_t:
                i = scanc_skip8(data, i, size)
            continue
        if c == 0x20:
            # "  " or "\n " (or a space first in the text): the space's line
            if (i == 0 or data[i - 1] == 0x20 or data[i - 1] == 10) and last_spaced != line:
                spaced.append(line)
                last_spaced = line
            i += 1
            if char_t is uint16_t:
                i = scanc_skip16(data, i, size)
            elif char_t is uint8_t:
                i = scanc_skip8(data, i, size)
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
