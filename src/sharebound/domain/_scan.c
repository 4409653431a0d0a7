/* The content gate's compiled passes: word shingles (version 2 of the fingerprint) and a
 * search for several words at once. Optional: the gate has a Python path for each.
 *
 * The same words and the same 64-bit hashes as the plain-Python reference
 * (domain/shingle_hash.py, domain/copies.py) and the NumPy path (adapters/shingling.py),
 * proved equal by tests/unit/test_gate_fast_path.py. adapters/shingling.py uses this module
 * when it was built and falls back to NumPy when it was not (the build is optional).
 *
 *   words(text) -> (starts, hashes)
 *       text: the normalized text (`visible(...).lower()`), a str of any kind;
 *       starts: bytes, an int64 per word, the index of its first character;
 *       hashes: bytes, a uint64 per word, mix64 of sum(code_j * WORD_BASE**j).
 *       A word is a maximal run of characters that `str.isalnum` accepts (what the
 *       reference's pattern [^\W_] matches).
 *   combine(hashes, k) -> bytes
 *       hashes: a buffer of uint64 word hashes; the int64 hash of every run of k of them,
 *       mix64(sum(word_j * SHINGLE_BASE**j)).
 *
 *   find_all(text, words) -> list of lists
 *       text: a str of one-byte characters (Latin-1); words: a tuple of at most 64 ASCII
 *       str of 2 characters or more. For each word, every position where it begins in text,
 *       overlapping ones included, in order: domain.text_search.occurrences of each, in one
 *       pass (a table of the words' first two characters sorts out almost every position).
 *
 * Arithmetic is modulo 2**64 (unsigned overflow wraps in C), as the reference's masks are.
 * The loops over the text run without the GIL.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define WORD_BASE UINT64_C(0x100000001B3)
#define SHINGLE_BASE UINT64_C(0x9E3779B97F4A7C15)
#define MIX_1 UINT64_C(0xBF58476D1CE4E5B9)
#define MIX_2 UINT64_C(0x94D049BB133111EB)

static inline uint64_t mix64(uint64_t value) {
    value = (value ^ (value >> 30)) * MIX_1;
    value = (value ^ (value >> 27)) * MIX_2;
    return value ^ (value >> 31);
}

/* Whether a code point is part of a word. ASCII first: lower-cased text has no capitals,
 * but they are accepted too, as isalnum does. */
static inline int is_word(Py_UCS4 code) {
    if (code < 128) {
        return (code - '0' < 10) | ((code | 0x20) - 'a' < 26);
    }
    return Py_UNICODE_ISALNUM(code);
}

/* is_word of each Latin-1 character, looked up by the one-byte texts' loop. */
static unsigned char latin1_word[256];

/* WORD_BASE**j for the first characters of a word: a table, so that no multiplication chain
 * runs from one character to the next (longer words multiply on, rarely). */
#define POWERS 64
static uint64_t power_of[POWERS];

/* Words found so far: where each starts and its polynomial (mixed once, at the end). */
typedef struct {
    int64_t *starts;
    uint64_t *totals;
    Py_ssize_t count, size;
} Found;

static int grow(Found *found) {
    Py_ssize_t size = found->size ? 2 * found->size : 4096;
    int64_t *starts = realloc(found->starts, (size_t)size * sizeof(int64_t));
    if (starts != NULL) {
        found->starts = starts;
    }
    uint64_t *totals = realloc(found->totals, (size_t)size * sizeof(uint64_t));
    if (totals != NULL) {
        found->totals = totals;
    }
    if (starts == NULL || totals == NULL) {
        return -1;
    }
    found->size = size;
    return 0;
}

/* One pass over the characters of a text of one kind: each word's start and polynomial. */
#define SCAN(NAME, TYPE, IS_WORD)                                                             \
    static int NAME(const TYPE *data, Py_ssize_t length, Found *found) {                     \
        Py_ssize_t at = 0;                                                                    \
        while (at < length) {                                                                 \
            while (at < length && !IS_WORD(data[at])) {                                       \
                at++;                                                                         \
            }                                                                                 \
            if (at == length) {                                                               \
                break;                                                                        \
            }                                                                                 \
            if (found->count == found->size && grow(found) < 0) {                             \
                return -1;                                                                    \
            }                                                                                 \
            Py_ssize_t first = at;                                                            \
            uint64_t total = 0, power = 0;                                                    \
            for (; at < length && at - first < POWERS && IS_WORD(data[at]); at++) {           \
                total += (uint64_t)data[at] * power_of[at - first];                           \
            }                                                                                 \
            if (at - first == POWERS) {                                                       \
                power = power_of[POWERS - 1] * WORD_BASE;                                     \
                for (; at < length && IS_WORD(data[at]); at++) {                              \
                    total += (uint64_t)data[at] * power;                                      \
                    power *= WORD_BASE;                                                       \
                }                                                                             \
            }                                                                                 \
            found->starts[found->count] = (int64_t)first;                                     \
            found->totals[found->count++] = total;                                            \
        }                                                                                     \
        return 0;                                                                             \
    }

#define LATIN1_WORD(code) latin1_word[code]
SCAN(scan_ucs1, Py_UCS1, LATIN1_WORD)
SCAN(scan_ucs2, Py_UCS2, is_word)
SCAN(scan_ucs4, Py_UCS4, is_word)

static PyObject *words(PyObject *module, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "words() takes a str, not %.100s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Found found = {NULL, NULL, 0, 0};
    int failed;
    Py_BEGIN_ALLOW_THREADS
    failed = kind == PyUnicode_1BYTE_KIND   ? scan_ucs1(data, length, &found)
             : kind == PyUnicode_2BYTE_KIND ? scan_ucs2(data, length, &found)
                                            : scan_ucs4(data, length, &found);
    for (Py_ssize_t i = 0; !failed && i < found.count; i++) {
        found.totals[i] = mix64(found.totals[i]);
    }
    Py_END_ALLOW_THREADS
    PyObject *pair = NULL;
    if (failed) {
        PyErr_NoMemory();
    } else {
        PyObject *starts = PyBytes_FromStringAndSize((const char *)found.starts,
                                                     found.count * (Py_ssize_t)sizeof(int64_t));
        PyObject *hashes = PyBytes_FromStringAndSize((const char *)found.totals,
                                                     found.count * (Py_ssize_t)sizeof(uint64_t));
        if (starts != NULL && hashes != NULL) {
            pair = PyTuple_Pack(2, starts, hashes);
        }
        Py_XDECREF(starts);
        Py_XDECREF(hashes);
    }
    free(found.starts);
    free(found.totals);
    return pair;
}

static PyObject *combine(PyObject *module, PyObject *args) {
    Py_buffer view;
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "y*n:combine", &view, &k)) {
        return NULL;
    }
    if (k < 1 || view.len % (Py_ssize_t)sizeof(uint64_t) != 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "combine() takes whole uint64 hashes and k >= 1");
        return NULL;
    }
    Py_ssize_t words = view.len / (Py_ssize_t)sizeof(uint64_t);
    Py_ssize_t count = words >= k ? words - k + 1 : 0;
    PyObject *out = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(uint64_t));
    if (out == NULL) {
        PyBuffer_Release(&view);
        return NULL;
    }
    const uint64_t *hashes = (const uint64_t *)view.buf;
    uint64_t *shingles = (uint64_t *)PyBytes_AS_STRING(out);
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t first = 0; first < count; first++) {
        uint64_t total = 0, power = 1;
        for (Py_ssize_t j = 0; j < k; j++) {
            total += hashes[first + j] * power;
            power *= SHINGLE_BASE;
        }
        shingles[first] = mix64(total);
    }
    Py_END_ALLOW_THREADS
    PyBuffer_Release(&view);
    return out;
}

#define MAX_WORDS 64

static PyObject *find_all(PyObject *module, PyObject *args) {
    PyObject *text, *needles;
    if (!PyArg_ParseTuple(args, "UO!:find_all", &text, &PyTuple_Type, &needles)) {
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(needles);
    if (PyUnicode_KIND(text) != PyUnicode_1BYTE_KIND || count > MAX_WORDS) {
        PyErr_SetString(PyExc_ValueError, "find_all() takes a one-byte text and at most 64 words");
        return NULL;
    }
    const Py_UCS1 *word[MAX_WORDS];
    Py_ssize_t size[MAX_WORDS];
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *needle = PyTuple_GET_ITEM(needles, i);
        if (!PyUnicode_Check(needle) || !PyUnicode_IS_ASCII(needle) || PyUnicode_GET_LENGTH(needle) < 2) {
            PyErr_SetString(PyExc_ValueError, "find_all() takes ASCII words of 2 characters or more");
            return NULL;
        }
        word[i] = PyUnicode_1BYTE_DATA(needle);
        size[i] = PyUnicode_GET_LENGTH(needle);
    }
    /* which words begin with each pair of characters: a bit per word */
    uint64_t *pairs = calloc(65536, sizeof(uint64_t));
    Py_ssize_t *found = NULL, found_count = 0, found_size = 0;
    if (pairs == NULL) {
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        pairs[word[i][0] | (word[i][1] << 8)] |= UINT64_C(1) << i;
    }
    const Py_UCS1 *data = PyUnicode_1BYTE_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t at = 0; at + 1 < length && !failed; at++) {
        uint64_t bits = pairs[data[at] | (data[at + 1] << 8)];
        while (bits) {
            int i = __builtin_ctzll(bits);
            bits &= bits - 1;
            if (at + size[i] <= length && memcmp(data + at, word[i], (size_t)size[i]) == 0) {
                if (found_count + 2 > found_size) {
                    Py_ssize_t grown = found_size ? 2 * found_size : 1024;
                    Py_ssize_t *more = realloc(found, (size_t)grown * sizeof(Py_ssize_t));
                    if (more == NULL) {
                        failed = 1;
                        break;
                    }
                    found = more;
                    found_size = grown;
                }
                found[found_count++] = i;
                found[found_count++] = at;
            }
        }
    }
    Py_END_ALLOW_THREADS
    free(pairs);
    PyObject *lists = failed ? NULL : PyList_New(count);
    for (Py_ssize_t i = 0; lists != NULL && i < count; i++) {
        PyObject *list = PyList_New(0);
        if (list == NULL) {
            Py_CLEAR(lists);
            break;
        }
        PyList_SET_ITEM(lists, i, list);
    }
    for (Py_ssize_t j = 0; lists != NULL && j < found_count; j += 2) {
        PyObject *at = PyLong_FromSsize_t(found[j + 1]);
        if (at == NULL || PyList_Append(PyList_GET_ITEM(lists, found[j]), at) < 0) {
            Py_XDECREF(at);
            Py_CLEAR(lists);
            break;
        }
        Py_DECREF(at);
    }
    free(found);
    if (failed) {
        return PyErr_NoMemory();
    }
    return lists;
}

static PyMethodDef methods[] = {
    {"words", words, METH_O, "(starts, hashes) of every word of a normalized text, as int64 and uint64 bytes."},
    {"combine", combine, METH_VARARGS, "The int64 hash of every run of k word hashes, as bytes."},
    {"find_all", find_all, METH_VARARGS, "Where each of the words begins in a one-byte text."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "sharebound.domain._scan",
    "The content gate's compiled passes: word shingles, several words searched at once.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__scan(void) {
    for (Py_UCS4 code = 0; code < 256; code++) {
        latin1_word[code] = (unsigned char)is_word(code);
    }
    power_of[0] = 1;
    for (int j = 1; j < POWERS; j++) {
        power_of[j] = power_of[j - 1] * WORD_BASE;
    }
    return PyModule_Create(&module);
}
