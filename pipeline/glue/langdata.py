"""Language knowledge used by the glue stage, kept as data in one place.

Why here: the scoring code should not hide French or English facts in conditionals. A new
language is a new entry in these tables (plus a frequency list in wordfreq), not new code.
"""

from __future__ import annotations

# Apostrophes that mark French elision (ASCII and typographic).
APOSTROPHES = frozenset("'’")

# French elided forms: they never stand alone, so a split must not leave one as a word
# (`Toutl'équipement` -> `Tout l'équipement`, never `Toutl' équipement`).
ELISION_PREFIXES: dict[str, frozenset[str]] = {
    "fr": frozenset(
        {"l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"}
    ),
    "en": frozenset(),
}

# Words French elides before a vowel (`l'avion`, `d'abord`, `qu'il`): written whole before one,
# they make a reading French does not write (`Castie|la inspecté` for `Castiel|a inspecté`,
# `le|avion`); and the letters such a word elides before (not `h` nor `y`: `le héros`, `le yoga`).
ELIDING_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({"le", "la", "de", "je", "me", "te", "se", "ne", "que", "ce"}),
}
ELIDING_BEFORE = frozenset("aeiouéèêëàâäîïôöûùüœæAEIOUÉÈÊËÀÂÄÎÏÔÖÛÙÜŒÆ")
# ... but the few words opening with one before which French neither elides nor replaces (`le
# onze`, `du onzième siècle`, `le oui`, `du ouistiti`), lowercase: a word of `ELIDING_WORDS` or
# `REPLACED_BEFORE_VOWEL` before one is written whole (`core._grammar`).
NOT_ELIDED_BEFORE: dict[str, frozenset[str]] = {
    "fr": frozenset("onze onzième onzièmes oui ouistiti ouistitis ouate ouates".split()),
}

# Single letters that are words on their own. Every other letter is in wordfreq only as
# debris (`l` from `l'`, `s` from `'s`), so a split leaving it alone is not believed.
SINGLE_LETTER_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({"a", "à", "y", "ô", "A", "À", "Y", "Ô"}),
    "en": frozenset({"a", "i", "A", "I"}),
}

# Single-letter words that may be split off the end of a common word even in a language whose
# lone letters are otherwise taken for a name's ending (English: `justa` -> `just a`, `whichI`
# -> `which I`; but `Samira`, `Xara` stay whole: the left piece must be a common word).
TRAILING_SINGLES: dict[str, frozenset[str]] = {
    "en": frozenset({"a", "I"}),
}

# Single-letter words that never open a word glued inside a split piece (`nested_languages`):
# such a piece is mostly a right piece, so its first word would stand between two pieces of one
# token. English writes `I`; a lowercase `i` is sloppy text's `I`, which opens a clause (`i
# think`, `iwas`) and is never cut off the end of a word (it is not in TRAILING_SINGLES): the
# name `Andiamos` is no `And|iamos` read as `And i amos` (`i` + `amos`). Case matters: `I`
# stays (`and|Iwas`, `attached.|Irevised`).
NESTED_BARRED_SINGLES: dict[str, frozenset[str]] = {
    "en": frozenset({"i"}),
}

# Short words that wordfreq rates highly only because its tokenizer cuts them out of longer
# forms, and English suffixes it lists as words; as a split piece they are not trusted
# (`aujourd|hui`, `knowledge|ment`).
DEBRIS_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset({"hui", "ème", "er", "ère", "es", "ième", "e", "o"}),
    "en": frozenset(
        {
            "s", "t", "ll", "ve", "re", "d", "m", "nt", "th", "st", "nd", "rd",
            "ment", "ments", "ness", "tion", "tions", "sion", "ity", "ing", "ings", "ly", "ous",
        }
    ),
}

# What follows an apostrophe at the end of a word that is not an elision (`Japan's`, `don't`):
# the word before it scores as the piece (`It'st` is not a word: `It's|this`).
CONTRACTION_TAILS: dict[str, frozenset[str]] = {
    "en": frozenset({"s", "t", "ll", "ve", "re", "d", "m"}),
}

# Glues of two common words that wordfreq lists, web text writing them so often (Zipf 2.5 and
# more), and that are no word of the language: `lexicon.table` leaves them out, so the engine
# reads them as it reads any glue (`Iam` -> `I am`, `Thankyou` -> `Thank you`). Not listed:
# glues that are also words or names (`anew`, `area`, `Avery`, `fora`, `Ina`, `ISA`), informal
# spellings some writers mean as one word (`alot`, `alright`, `everytime`, `nevermind`,
# `noone`), and glues under Zipf 2.5, which the engine splits already (`iwas` 2.3).
LISTED_GLUES: dict[str, frozenset[str]] = {
    "en": frozenset(
        {
            "iam", "thankyou", "ofthe", "infact", "itis", "ofcourse", "aswell", "eachother",
            "atleast", "ofa",
        }
    ),
}

# Prefixes of names written with a capital inside (`McLeran`, `iPhone`, `eBay`): never a word
# before a glue.
NAME_PREFIXES: dict[str, frozenset[str]] = {
    "en": frozenset({"Mc", "i", "e"}),
}

# Suffixes that follow a number without a space and are not a glued word: ordinals and units.
NUMBER_SUFFIXES = frozenset(
    {
        "e", "er", "ère", "ème", "eme", "es", "ᵉ", "ᵉʳ", "re", "nd", "nde", "st", "th", "rd",
        "h", "km", "m", "kg", "g", "t", "ha", "mn", "min", "s", "ans", "cm", "mm", "gb", "mb",
        "k", "am", "pm", "x", "hrs", "hr", "ml", "l", "kw", "mw",
    }
)

# Elisions before a one-letter word (letter -> prefixes): `n'a`, `l'y`, `qu'à` are French
# words, which wordfreq's tokenizer splits (see `GlueConfig.elided_single_penalty`)
ELIDED_SINGLES: dict[str, dict[str, frozenset[str]]] = {
    "fr": {
        "a": frozenset({"l", "n", "m", "t", "qu"}),
        "y": frozenset({"l", "n", "m", "t", "j", "s", "qu"}),
        "à": frozenset({"qu", "jusqu", "lorsqu", "puisqu", "presqu"}),
    },
}

# Very common function words: in a wrapped-and-joined paragraph, a stray glue of one of these
# and a word (`de|poulpes`, `commémoratifs|du`) whose glued form is no word is split at
# `GlueConfig.function_glue_threshold`. As the right piece, the words that also end other words
# (`incarner|a`, `action|ne`, `gris|on`, `Albert|son`) are left out.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        "de du des le la les un une au aux en se sa son ses il ils elle est et ou où y à par pour"
        " sur dans ce cette ces qui que ne pas plus avec sont a nous vous elles on mais".split()
    ),
}
FUNCTION_TAILS: dict[str, frozenset[str]] = {
    lang: words - {"a", "ne", "on", "son", "ses", "sa", "se", "y", "il", "ces", "nous", "vous", "elles", "mais"}
    for lang, words in FUNCTION_WORDS.items()
}

# Units of measure (lowercase) that French sets apart from their number (`865 ha`, `300 km/h`):
# a line end may fall between them (`GlueConfig.unit_bonus`)
UNITS = frozenset(
    {
        "h", "km", "m", "kg", "g", "t", "ha", "mn", "min", "cm", "mm", "ml", "l", "kw", "mw",
        "km/h", "m/s", "m²", "km²", "m2", "km2", "mg", "kwh", "mwh", "gw", "hz", "khz", "mhz",
    }
)

# Month names (lowercase): a number glued to one is a date (`27mai`, `August1,`), split there.
MONTHS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        {
            "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
            "septembre", "octobre", "novembre", "décembre", "decembre",
        }
    ),
    "en": frozenset(
        {
            "january", "february", "march", "april", "may", "june", "july", "august", "september",
            "october", "november", "december",
        }
    ),
}

# Adjacent-word pairs that French grammar rules out: they settle `Il|sont` vs `Ils|ont`.
# (left word, right word), lowercase.
BAD_BIGRAMS: dict[str, frozenset[tuple[str, str]]] = {
    "fr": frozenset(
        {
            ("il", "sont"), ("elle", "sont"), ("on", "sont"), ("il", "ont"), ("elle", "ont"),
            ("ils", "est"), ("elles", "est"), ("ils", "a"), ("elles", "a"), ("je", "sont"),
            ("le", "les"), ("la", "les"), ("les", "le"), ("les", "la"), ("des", "le"),
            ("des", "la"), ("un", "une"), ("une", "un"), ("de", "s"), ("pan", "sentiers"),
        }
    ),
    "en": frozenset(),
}

# French determiners that are never pronouns nor nouns (unlike `le`, `la`, `les`, `leur`, `un`,
# `ce`, `son`, `ton`), and the function words none of them can precede: `Cet|aux` (for
# `Ce|taux`), `des|a` (for `de|sa`), `ses|ont` (for `se|sont`) are ruled out.
_FR_DETERMINERS = (
    "des", "du", "au", "aux", "cet", "cette", "ces", "mon", "ma", "mes", "ta", "tes", "sa", "ses",
    "notre", "nos", "votre", "vos", "leurs",
)
_FR_FUNCTION_WORDS = (
    "le", "la", "les", "un", "une", "des", "du", "au", "aux", "de", "à", "a", "et", "ou", "est",
    "sont", "ont", "il", "ils", "elle", "elles", "je", "tu", "qui", "que", "dans", "par", "pour",
    "sur", "avec", "ne", "se", "y", "en",
)
BAD_BIGRAMS["fr"] = BAD_BIGRAMS["fr"] | {(d, f) for d in _FR_DETERMINERS for f in _FR_FUNCTION_WORDS}
# French compound function words read as two words French never writes side by side: `ce|la`
# (`cela`), `de|puis` (`depuis`), `les|quelles` (`lesquelles`), `lors|que`, `puis|qu'il` (an
# elided `que` is read as `que`). Not `pour|tant`, `sur|tout`, `en|fin`, `quel|que`, whose two
# words are common side by side (`pour tant de`, `sur tout le`, `en fin de`, `quel que soit`).
BAD_BIGRAMS["fr"] = BAD_BIGRAMS["fr"] | {
    ("ce", "la"), ("ce", "ci"), ("ce", "lui"), ("de", "puis"), ("a", "fin"), ("lors", "que"),
    ("puis", "que"), ("quoi", "que"), ("main", "tenant"), ("ce", "pendant"),
    *((d, q) for d in ("les", "des", "aux") for q in ("quels", "quelles")),
}

# Determiners and prepositions that open a noun phrase: glued to a common word they make web
# glues that wordfreq lists as rare words (`laville`, `dela`, `enligne`), which are no words
# (`GlueConfig.listed_whole_penalty` spares them); `a` (a verb) and pronouns are not here.
GLUE_HEADS: dict[str, frozenset[str]] = {
    "fr": frozenset(
        "le la les l un une des du de d au aux en à dans sur par pour avec sans sous ce cet cette ces"
        " mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs".split()
    ),
}

# Punctuation classes, by the side of a word they attach to.
OPENING_PUNCT = frozenset("([{«“‘\"'¿¡")
CLOSING_PUNCT = frozenset(")]}»”’\"'.,;:!?…%")
SENTENCE_END = frozenset(".!?…")
# Straight and typographic quotes: whether they open or close is ambiguous, so a quote alone is
# never a piece of its own.
QUOTES = frozenset("\"“”")
# Inflection endings: an unknown word that is a known one plus one of these is a word
# (`intransigeances`, `monocamérale`), not a glue's debris (see `GlueConfig.inflection_zipf`);
# longest first
INFLECTIONS: dict[str, tuple[str, ...]] = {"fr": ("es", "s", "e", "x")}
# Future and conditional endings, put on a verb's infinitive (less its final `e`: `prendr|a`): an
# unknown word that is a listed infinitive of 5+ letters plus one is that verb's form
# (`engloberont`, not `englober|ont`; `rehaussera`), scored as an inflection; longest first
VERB_ENDINGS: dict[str, tuple[str, ...]] = {
    "fr": ("aient", "ions", "iez", "ais", "ait", "ont", "ons", "ez", "ai", "as", "a"),
}
# What never follows an infinitive, though the infinitive's future ends so: the auxiliary's
# `ai`, `as` (`n'attribuer|ai pas` is `n'attribuerai pas`; `core._grammar`). Not `a`, `ont`,
# which do (`le fait de manger a`, `désirant participer ont`).
NEVER_AFTER_INFINITIVE: dict[str, frozenset[str]] = {"fr": frozenset({"ai", "as"})}
INFLECTION_LAST = {
    lang: "".join(sorted({e[-1] for e in (*ends, *VERB_ENDINGS.get(lang, ()))}))
    for lang, ends in INFLECTIONS.items()
}
# French typography puts a space before `:;!?»` and after `«`: a line end can fall there.
FR_SPACED = frozenset(":;!?«»")
CLAUSE_PUNCT = frozenset(",;:")

# Top-level domains that are also everyday words: after a comma they are the word
# (`Needham,de l'université`), not a mistyped address (`baomoi,com`).
WORDLIKE_DOMAINS = frozenset({"de", "it", "es", "be", "me", "us", "ca", "au", "int", "info", "co"})

# Top-level domains: a `word.tld` token is a web address, never split at its dot.
DOMAINS = frozenset(
    {
        "com", "org", "net", "vn", "fr", "uk", "de", "info", "gov", "edu", "io", "co", "jp",
        "cn", "kr", "html", "htm", "php", "asp", "aspx", "us", "ca", "au", "ru", "it", "es",
        "be", "ch", "biz", "tv", "me", "eu", "int",
    }
)

# Determiners whose number is known, lowercase -> True for plural: a noun right after one agrees
# with it (`les historiens`, `du Voyageur`), which settles two readings of one glued token that
# move an `s` across the break (`GlueConfig.agreement_penalty`). `les`, `le`, `la` are also
# pronouns (`il les voit`): the rule only ever chooses between two readings.
NUMBER_DETERMINERS: dict[str, dict[str, bool]] = {
    "fr": {
        **dict.fromkeys("les des ces mes tes ses nos vos leurs aux plusieurs quelques certains certaines".split(),
                        True),
        # cardinal numbers from two (a number in digits of 2 or more counts too, see `_agreement`)
        **dict.fromkeys("deux trois quatre cinq six sept huit neuf dix onze douze quinze vingt trente"
                        " quarante cinquante soixante cent cents mille".split(), True),
        **dict.fromkeys("le la un une du au ce cet cette mon ton son ma ta sa notre votre".split(), False),
        "l'": False,  # elided `le`, `la` (`l'organisation`), read inside a token (see `_agreement`)
    },
}

# Nouns of quantity after which `de` takes a plural noun (`des milliers d'années`, `une centaine
# d'hommes`, `un million d'euros`): with `de` elided before the noun in the same token, the noun
# is compared as after a plural determiner (`core._agreement`: `milliers d'année|sont` loses to
# `d'années|ont`). Numbers only: `beaucoup`, `peu`, `trop` also take a singular mass noun
# (`beaucoup d'eau`).
QUANTITY_NOUNS: dict[str, frozenset[str]] = {
    "fr": frozenset("millier milliers million millions milliard milliards centaine centaines dizaine dizaines"
                    " douzaine douzaines vingtaine vingtaines trentaine trentaines quinzaine quinzaines".split()),
}

# Plural verbs that move an `s` across a break (`allé|sont` / `allés|ont`, `qu'il|sont` /
# `qu'ils|ont`, `il|savaient` / `ils|avaient`) and what French never writes with them: a
# singular subject pronoun before one (`il sont`, `il savaient`), or after the plural of `être`
# a participle of the other auxiliary (`sont été`, `sont eu`) or a participle that does not
# agree with it, a singular in `-é` (`renommé|sont contribué`, for `renommés|ont`). Either
# settles the two readings for the other one (`GlueConfig.agreement_penalty`, `core._grammar`);
# the rule only ever chooses between two readings of one token. Fields: the plural of `être`,
# the endings of other plural verb forms, the singular subject pronouns, the participles never
# after `être`, the endings of words never after it (no adverb ends so; `-i`, `-u`, `-t` do:
# `sont ici`, `sont peu`, `sont souvent`).
VERB_AGREEMENT: dict[str, tuple[str, tuple[str, ...], frozenset[str], frozenset[str], tuple[str, ...]]] = {
    "fr": ("sont", ("aient",), frozenset({"il", "elle", "on", "qu'il", "qu'elle", "qu'on"}),
           frozenset({"été", "eu"}), ("é",)),
}

# Words French replaces before a vowel, as it elides those of `ELIDING_WORDS`: the feminine
# possessives (`son amie`, never `sa amie`) and `du` (`de l'eau`, never `du eau`), lowercase only
# (`Ma`, `Sa`, `Du` may open names); `core._grammar` reads them as it reads `ELIDING_WORDS` (`Lemo|sa
# établi` for `Lemos|a établi`, `du|eau solde` for `due|au solde`).
REPLACED_BEFORE_VOWEL: dict[str, frozenset[str]] = {
    "fr": frozenset({"sa", "ma", "ta", "du"}),
}

# Other forms of one word (`enrôle`, `enrôler`, `enrôlé`; `surgelé`, `surgelés`): endings added
# to the word (plural, feminine, `-nt` of a verb) and a verb's endings swapped for one another. A
# listed word with such a form listed too (`core._Scorer._has_family`) is a word of the language,
# not one of the web's glues wordfreq lists (`enligne`, `dabord`, `lécole`), whose parts are a
# determiner or preposition and a word (`GLUE_HEADS`) but which have no such forms.
FAMILY_ENDINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "fr": (("s", "e", "es", "x", "nt"), ("e", "es", "é", "ée", "és", "ées", "er", "ent")),
}

# Determiners that never end a sentence (`60510 Bres|les` ending a paragraph is the commune
# `Bresles`; `core._grammar`): not those that are pronouns or nouns too (`qu'un.`, `à la une.`,
# `les leurs.`, `le son.`, `en la.`).
NEVER_LAST: dict[str, frozenset[str]] = {
    "fr": frozenset("le les des du au aux de ces ses mes tes nos vos sa ma ta".split()),
}
# ... nor stands before a word or a mark no noun phrase opens with (`tel|les que` for `telles
# que`, `coup|les sont` for `couples sont`): the determiners above that are no pronouns before
# such a word (`un qui`, `une que`, `de qui` are French), and those words (not verbs a pronoun
# `le`, `les` may stand before, `les a`, but the forms of `être`, which take `l'`: `il l'est`).
NEVER_BEFORE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "fr": (frozenset("le la les du au aux ces ses mes tes nos vos".split()),
           frozenset("que qui dont et ou mais car donc de à par pour dans sur avec sans chez est sont"
                     " était étaient".split())),
}
# ... and words that end a sentence only after one of a few words (`il y en a.`): `passionner|a.`
# (the future `passionnera.`), `village de Los|a.` (`Losa.`), lowercase only (`dans A.`).
LAST_ONLY_AFTER: dict[str, dict[str, frozenset[str]]] = {
    "fr": {"a": frozenset({"en", "y"})},
}

# The letters a word of the language may open with (wordfreq's French words of Zipf 2.5 or more
# open with these, bar a handful of foreign ones): a piece opening with another lowercase letter is
# no word unless listed (`Manab|íen`, `Gab|číket`, `No|èqui`; `ès` is listed). Only letters beyond
# ASCII are looked up (`core._Scorer._foreign_initial`).
WORD_INITIALS: dict[str, frozenset[str]] = {
    "fr": frozenset("abcdefghijklmnopqrstuvwxyzàâæçéêîôœ"),
}

# Prefixes that French writes solid with the word they modify (`préchoisis`, `antigel`,
# `hypermarché`): a split right after one, before a lowercase word, is scored as a bad pair
# (`GlueConfig.bad_bigram_penalty`); lowercase only, so `Pré` or `Inter` as a name's start are not
# concerned. Prefixes that are also common standalone words (`sur`, `sous`, `contre`, `photo`,
# `radio`, `télé`, `bio`) are not here; the learned ones wordfreq lists only from compounds it cut
# (`crypto`, `hydro`, `géo`: `cryptosystème`, not `crypto|système`) are.
WORD_PREFIXES: dict[str, frozenset[str]] = {
    "fr": frozenset(
        "pré anti auto néo pseudo semi hyper hypo micro multi inter intra extra ultra trans post"
        " mono poly re ré dé crypto hydro thermo électro aéro agro géo cyber nano".split()
    ),
    # English: prefixes seldom written alone (not `post`, `over`, `inter`: words glued as often as not)
    "en": frozenset("non sub multi anti semi pre micro macro mono poly hyper intra de re co un".split()),
}
# Prefixes a French word may be made of, before a listed word: an unlisted word that is one of
# them and a listed word of 4+ letters and Zipf 2+, no function word (`FUNCTION_WORDS`: `promais`
# is a glue), is that compound (`pyroélectricité`, `polythérapie`, `désapprentissage`,
# `proanglaise`), scored as an inflection (`core._Scorer._inflected`), not a glue of its parts.
# Learned prefixes, as `WORD_PREFIXES`, with `dés` (`dé` before a vowel) and `pro`: a word a
# sentence uses alone before a content word (`sur`, `super`, `photo`, `bio`, `mini`) makes glues
# as often as compounds (`surdivers`, `entreLong`)
COMPOUND_PREFIXES: dict[str, frozenset[str]] = {
    "fr": WORD_PREFIXES["fr"] | frozenset(
        "pyro psycho socio paléo proto archéo cardio neuro phyto hémi péri méta archi hétéro iso dés pro".split()
    ),
}
