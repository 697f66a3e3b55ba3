# hearsay - GNU make build. Targets: all (default), check, demo, bench, bench-scaling,
# bench-serve, bench-slurm, bench-peers, fuzz, models, install, clean.
# SANITIZE=address,undefined builds into build-san/.
# Missing Debian packages are installed by tools/deps.sh when make needs them.

SHELL := /bin/bash
CC ?= cc
PREFIX ?= /usr/local
SANITIZE ?=
ifeq ($(SANITIZE),)
BUILD ?= build
else
BUILD ?= build-san
endif
SHARED ?= ../shared

DEPS_BUILD := $(shell tools/deps.sh build >&2 && echo ok)
ifneq ($(DEPS_BUILD),ok)
$(error missing build dependencies; see the messages above)
endif

PKGS := zlib libutf8proc jansson libxml-2.0 sqlite3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))

OPT ?= -O2
CFLAGS ?= $(OPT) -g
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ifneq ($(WERROR),)
WARN += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $(SANFLAGS) -Iinclude -Isrc -Itrain $(PKG_CFLAGS) -fPIC
# the library exports only what hearsay.h and hearsay_train.h declare (HS_API)
LIB_CFLAGS := $(ALL_CFLAGS) -fvisibility=hidden
LDLIBS := $(PKG_LIBS) -lm -pthread

# src/: the engine; train/: training and evaluation (hearsay_train.h), its client
LIB_SRC := $(sort $(wildcard src/*.c)) $(sort $(wildcard train/*.c))
LIB_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRC))
HEADERS := $(wildcard src/*.h train/*.h) include/hearsay.h include/hearsay_train.h
CLI_SRC := $(sort $(wildcard cli/*.c))
CLI_OBJ := $(patsubst cli/%.c,$(BUILD)/obj/cli/%.o,$(CLI_SRC)) $(BUILD)/obj/cli/web_assets.o
# the web UI of hearsay serve, built into the binary (tools/embed.c)
WEB_FILES := $(sort $(wildcard cli/web/*))
CLI_PKGS := libmicrohttpd sqlite3
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
REPLAY_BIN := $(patsubst fuzz/fuzz_%.c,$(BUILD)/fuzz/replay_%,$(FUZZ_SRC))

.PHONY: all check demo bench bench-slurm fuzz models install uninstall clean golden-update unit cli-tests valgrind
all: $(BUILD)/libhearsay.a $(BUILD)/libhearsay.so $(BUILD)/hearsay

$(BUILD)/obj/src/%.o: src/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(BUILD)/obj/train/%.o: train/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(BUILD)/obj/cli/%.o: cli/%.c $(wildcard cli/*.h) include/hearsay.h include/hearsay_train.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Icli $(shell pkg-config --cflags $(CLI_PKGS)) \
		-DHS_MODEL_DIR='"$(PREFIX)/share/hearsay/models"' -c $< -o $@

$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(@D)
	$(CC) -std=c11 -O2 -Wall -Wextra -o $@ $<

$(BUILD)/gen/web_assets.c: $(WEB_FILES) $(BUILD)/tools/embed
	@mkdir -p $(@D)
	$(BUILD)/tools/embed $@ $(WEB_FILES)

$(BUILD)/obj/cli/web_assets.o: $(BUILD)/gen/web_assets.c cli/assets.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Icli -c $< -o $@

$(BUILD)/libhearsay.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libhearsay.so: $(LIB_OBJ)
	$(CC) $(SANFLAGS) -shared -Wl,-soname,libhearsay.so.0 -o $@ $^ $(LDLIBS)

$(BUILD)/hearsay: $(CLI_OBJ) $(BUILD)/libhearsay.a
	$(CC) $(SANFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libhearsay.a $(LDLIBS) \
		$(shell pkg-config --libs $(CLI_PKGS))

# ---- tests -----------------------------------------------------------------
$(BUILD)/.deps-check:
	@tools/deps.sh check
	@mkdir -p $(@D) && touch $@

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(BUILD)/libhearsay.a | $(BUILD)/.deps-check
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests $(shell pkg-config --cflags criterion 2>/dev/null) -o $@ $< \
		$(BUILD)/libhearsay.a $(LDLIBS) $(shell pkg-config --libs criterion 2>/dev/null)

$(BUILD)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(wildcard fuzz/*.h) $(BUILD)/libhearsay.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< fuzz/replay.c $(BUILD)/libhearsay.a $(LDLIBS)

# each runner leaves its results as TAP (test_X.tap, cli.tap, store.tap) for check to
# count: passed, failed, and skipped by reason (tests/tapsum.awk)
unit: $(TEST_BIN)
	@ok=1; for t in $(TEST_BIN); do echo "== $$t"; rm -f $$t.tap; \
		HEARSAY_SHARED=$(SHARED) $$t --jobs 2 --short-filename --tap=$$t.tap || ok=0; done; \
		[ $$ok = 1 ] || { awk -v label=unit -f tests/tapsum.awk $(TEST_BIN:=.tap); exit 1; }

cli-tests: $(BUILD)/hearsay $(REPLAY_BIN)
	@set -e; for f in $(REPLAY_BIN); do n=$${f##*/replay_}; \
		echo "== fuzz corpus replay: $$n"; $$f fuzz/corpus/$$n; done
	@mkdir -p $(BUILD)/tests
	@HEARSAY=$(BUILD)/hearsay SHARED=$(SHARED) SANITIZE=$(SANITIZE) TAP=$(BUILD)/tests/cli.tap \
		bash tests/cli.sh
	@HEARSAY=$(BUILD)/hearsay SHARED=$(SHARED) SANITIZE=$(SANITIZE) TAP=$(BUILD)/tests/store.tap \
		bash tests/store.sh
	@HEARSAY=$(BUILD)/hearsay SHARED=$(SHARED) SANITIZE=$(SANITIZE) TAP=$(BUILD)/tests/serve.tap \
		SHOTS=$(BUILD)/serve-shots bash tests/serve.sh
	@HEARSAY=$(BUILD)/hearsay SHARED=$(SHARED) SANITIZE=$(SANITIZE) TAP=$(BUILD)/tests/slurm.tap \
		bash tests/slurm.sh

check: all unit cli-tests callgraph
	@awk -v label="make check" -v note=" ($(BUILD))" -f tests/tapsum.awk \
		$(TEST_BIN:=.tap) $(BUILD)/tests/cli.tap $(BUILD)/tests/store.tap $(BUILD)/tests/serve.tap \
		$(BUILD)/tests/slurm.tap

# the file-level call graph (tools/callgraph.py, Universal Ctags): its own tests,
# then no cycle between files, no hs_* call inside the library (train/ may),
# and the tiers of docs/architecture.md's module table hold
.PHONY: callgraph
callgraph: | $(BUILD)/.deps-check
	@bash tests/callgraph.sh
	@python3 tools/callgraph.py src train --api-clients train --layers docs/architecture.md

# valgrind over the CLI on our examples (texts, a page, a feed), the seed, and
# the WARC and JSON Lines fuzz corpora with -j 2: no error, no leak
valgrind: $(BUILD)/hearsay
	@valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		$(BUILD)/hearsay analyze --format json examples/*.txt examples/*.html examples/*.jsonl \
		$(wildcard $(SHARED)/data/seed/*.txt) > /dev/null
	@valgrind -q --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		$(BUILD)/hearsay analyze --format json -j 2 examples/*.txt examples/*.html \
		fuzz/corpus/warc/* fuzz/corpus/jsonl/* > /dev/null 2>&1; test $$? -eq 1
	@printf 'bad \377 byte\n' > $(BUILD)/bad.txt; \
		valgrind -q --error-exitcode=9 --leak-check=full $(BUILD)/hearsay analyze $(BUILD)/bad.txt \
		examples/*.txt > /dev/null 2>&1; test $$? -eq 1
	@rm -f $(BUILD)/vg.db*; set -e; vg="valgrind -q --error-exitcode=9 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect $(BUILD)/hearsay"; \
		$$vg index $(BUILD)/vg.db -j 2 tests/store/corpus.jsonl; \
		$$vg search $(BUILD)/vg.db speculators --speaker Okafor >/dev/null; \
		$$vg trace $(BUILD)/vg.db "Every house on this street was bought" >/dev/null; \
		$$vg quotes $(BUILD)/vg.db >/dev/null; $$vg stats $(BUILD)/vg.db >/dev/null; \
		rm -f $(BUILD)/vg.db*
	@rm -rf $(BUILD)/vg-run $(BUILD)/vg-run.db*; set -e; vg="valgrind -q --error-exitcode=9 \
		--leak-check=full --errors-for-leak-kinds=definite,indirect $(BUILD)/hearsay"; \
		$$vg slurm --no-submit --out $(BUILD)/vg-run --db $(BUILD)/vg-run.db --shard-mb 0.001 \
		--max-tasks 3 tests/store/corpus.jsonl examples/harbor-bridge-vote.txt 2>/dev/null; \
		for t in 0 1 2; do $$vg slurm --task $(BUILD)/vg-run $$t 2>/dev/null; done; \
		$$vg slurm --merge $(BUILD)/vg-run 2>/dev/null; $$vg slurm --status $(BUILD)/vg-run >/dev/null; \
		rm -rf $(BUILD)/vg-run $(BUILD)/vg-run.db*
	@bash tests/serve_valgrind.sh $(BUILD)/hearsay
	@echo "valgrind: clean"

golden-update: $(BUILD)/hearsay
	@for f in examples/*.txt; do b=$${f##*/}; \
		$(BUILD)/hearsay analyze --format json $$f > tests/golden/$${b%.txt}.json; done
	@echo "golden files rewritten; review with git diff"

demo: $(BUILD)/hearsay
	@$(BUILD)/hearsay analyze --format text examples/harbor-bridge-vote.txt

# ---- benchmarks and fuzzing ------------------------------------------------
$(BUILD)/bench/bench_text: bench/bench_text.c bench/bench_texts.h $(BUILD)/libhearsay.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $< $(BUILD)/libhearsay.a $(LDLIBS)

$(BUILD)/bench/bench_ingest: bench/bench_ingest.c $(BUILD)/libhearsay.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $< $(BUILD)/libhearsay.a $(LDLIBS)

$(BUILD)/bench/bench_scale: bench/bench_scale.c bench/bench_texts.h $(BUILD)/libhearsay.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -O2 -o $@ $< $(BUILD)/libhearsay.a $(LDLIBS)

# bench_ingest writes a WARC of BENCH_WARC_MB (default 1000) MB to /tmp and deletes it
# bench/store.sh: the corpus (index throughput, size, search and trace
# latency) on PolNeAR and on BENCH_STORE_DOCS (default 100000; 0 skips it,
# the large one takes about 20 minutes) repeated documents
# bench_scale: analyze's time per word by document size (100 to 100,000 words), then a
# stream of BENCH_STREAM_DOCS documents (words/s and RSS per tenth): 10000 in make bench
# (about 1.5 minutes), the full 100000 (about 10 minutes) in make bench-scaling, which runs
# only bench_scale
BENCH_STORE_DOCS ?= 100000
BENCH_STREAM_DOCS ?= 10000
POLNEAR_TEXT := $(SHARED)/data/polnear/train/text $(SHARED)/data/polnear/dev/text
bench: $(BUILD)/bench/bench_text $(BUILD)/bench/bench_scale $(BUILD)/bench/bench_ingest \
		$(BUILD)/hearsay
	@$(BUILD)/bench/bench_text $(POLNEAR_TEXT)
	@BENCH_STREAM_DOCS=$(BENCH_STREAM_DOCS) $(BUILD)/bench/bench_scale $(POLNEAR_TEXT)
	@$(BUILD)/bench/bench_ingest $(SHARED)/data/article-extraction-benchmark/html
	@bash bench/store.sh $(BUILD)/hearsay $(SHARED) $(BENCH_STORE_DOCS)

.PHONY: bench-scaling
bench-scaling: BENCH_STREAM_DOCS = 100000
bench-scaling: $(BUILD)/bench/bench_scale
	@BENCH_STREAM_DOCS=$(BENCH_STREAM_DOCS) $(BUILD)/bench/bench_scale $(POLNEAR_TEXT)

# bench/serve.sh: hearsay serve under wrk (searches, 32 connections) and ab
# (analyze, 8 connections) for BENCH_SERVE_SECONDS each, on loopback
BENCH_SERVE_SECONDS ?= 10
.PHONY: bench-serve
bench-serve: $(BUILD)/hearsay
	@tools/deps.sh bench
	@bash bench/serve.sh $(BUILD)/hearsay $(SHARED) $(BENCH_SERVE_SECONDS)

# bench/slurm.sh: hearsay slurm on a single-host Slurm cluster (needs root): documents/s
# with 1, 2 and N tasks at once, the merge, the scheduling overhead per task
.PHONY: bench-slurm
bench-slurm: $(BUILD)/hearsay
	@tools/deps.sh check
	@bash bench/slurm.sh $(BUILD)/hearsay $(SHARED)

# bench/peers.sh: hearsay beside compromise and wink-nlp (npm, installed at pinned
# versions under $(BUILD)/peers; skipped with a message without node or the
# registry) on the PolNeAR dev texts, one process each, best of 3
.PHONY: bench-peers
bench-peers: $(BUILD)/hearsay
	@tools/deps.sh peers || echo "bench-peers: could not install /usr/bin/time (Debian package time)"
	@bash bench/peers.sh $(BUILD)/hearsay $(SHARED) $(BUILD)/peers

FUZZ_SECONDS ?= 60
fuzz:
	@mkdir -p build-fuzz
	@for f in $(FUZZ_SRC); do n=$${f##*/fuzz_}; n=$${n%.c}; \
		clang -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined \
			-Iinclude -Isrc -Itrain $(PKG_CFLAGS) -o build-fuzz/fuzz_$$n $$f $(LIB_SRC) $(LDLIBS) && \
		mkdir -p build-fuzz/corpus-$$n && \
		build-fuzz/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			build-fuzz/corpus-$$n fuzz/corpus/$$n || exit 1; done

# retrain every committed model from ../shared/data (about 7 minutes in all;
# attribution last, as it reads the other models)
models: $(BUILD)/hearsay
	$(BUILD)/hearsay train pos --data $(SHARED)/data --out models/pos.hsm
	$(BUILD)/hearsay train ner --data $(SHARED)/data --out models/ner.hsm
	$(BUILD)/hearsay train parser --data $(SHARED)/data --out models/parser.hsm
	$(BUILD)/hearsay train attribution --data $(SHARED)/data --models models --out models/attribution.hsm

# ---- install ---------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
		$(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/hearsay $(DESTDIR)$(PREFIX)/bin/hearsay
	install -m 644 $(BUILD)/libhearsay.a $(DESTDIR)$(PREFIX)/lib/libhearsay.a
	install -m 755 $(BUILD)/libhearsay.so $(DESTDIR)$(PREFIX)/lib/libhearsay.so.0
	ln -sf libhearsay.so.0 $(DESTDIR)$(PREFIX)/lib/libhearsay.so
	install -m 644 include/hearsay.h include/hearsay_train.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 docs/hearsay.1 $(DESTDIR)$(PREFIX)/share/man/man1/hearsay.1
	install -d $(DESTDIR)$(PREFIX)/share/hearsay/models
	install -m 644 models/*.hsm $(DESTDIR)$(PREFIX)/share/hearsay/models/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(shell sed -n 's/#define HS_VERSION "\(.*\)"/\1/p' include/hearsay.h)|' \
		-e 's|@PRIVATE@|$(PKGS)|' hearsay.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/hearsay.pc

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/hearsay $(DESTDIR)$(PREFIX)/lib/libhearsay.* \
		$(DESTDIR)$(PREFIX)/include/hearsay.h $(DESTDIR)$(PREFIX)/include/hearsay_train.h \
		$(DESTDIR)$(PREFIX)/share/man/man1/hearsay.1 \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig/hearsay.pc
	rm -rf $(DESTDIR)$(PREFIX)/share/hearsay

clean:
	rm -rf build build-san build-fuzz build-clang

$(BUILD)/tools/tokdump: tools/tokdump.c $(BUILD)/libhearsay.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libhearsay.a $(LDLIBS)
