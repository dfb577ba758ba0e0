# Makefile — builds synwatch and sockdemo into build/, runs the tests, installs; flags from pkg-config.

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
MANDIR   ?= $(PREFIX)/share/man/man1
CC       ?= cc
PKG_CONFIG ?= pkg-config

# Recursive (=) so pkg-config runs when a recipe needs the flags, after `deps` has installed it.
PKGS      = libpcap ncursesw
CPPFLAGS += -I. -Iinclude -Icapture -D_GNU_SOURCE
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 -Wall -Wextra -Werror -MMD -MP
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS   = $(shell $(PKG_CONFIG) --libs $(PKGS)) -lpthread
CUNIT_CFLAGS = $(shell $(PKG_CONFIG) --cflags cunit)
CUNIT_LIBS   = $(shell $(PKG_CONFIG) --libs cunit)

SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# common/ is linked into both programs. capture/app/main.c is the synwatch program; common/*.c and every
# other capture/*/*.c are the library the tests link too.
COMMON_SRC := $(sort $(wildcard common/*.c))
LIB_SRC   := $(COMMON_SRC) $(filter-out capture/app/main.c,$(sort $(wildcard capture/*/*.c)))
DEMO_SRC  := $(sort $(wildcard demo/*.c)) $(COMMON_SRC)
UNIT_SRC  := $(sort $(wildcard tests/unit/*.c))
UNIT_TESTS := $(filter tests/unit/test_%.c,$(UNIT_SRC))
# Test drivers for the e2e scripts: tests/tools/NAME.c -> build/tools/NAME, linked with the library.
TOOL_SRC  := $(sort $(wildcard tests/tools/*.c))
TOOLS     := $(TOOL_SRC:tests/tools/%.c=build/tools/%)

LIB_OBJ   := $(LIB_SRC:%.c=build/obj/%.o)
DEMO_OBJ  := $(DEMO_SRC:%.c=build/obj/%.o)
UNIT_OBJ  := $(UNIT_SRC:%.c=build/obj/%.o)
ASAN_LIB_OBJ := $(LIB_SRC:%.c=build/asan/obj/%.o)
ASAN_UNIT_OBJ := $(UNIT_SRC:%.c=build/asan/obj/%.o)

.PHONY: all deps run test check unit e2e asan clean install setcap pcaps tools fuzz bench lesson

all: build/synwatch build/sockdemo

deps:
	@.ci/install-deps

build/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) $(CUNIT_CFLAGS) -c -o $@ $<

build/asan/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) $(PKG_CFLAGS) $(CUNIT_CFLAGS) -c -o $@ $<

build/libsynwatch.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/asan/libsynwatch.a: $(ASAN_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

build/synwatch: build/obj/capture/app/main.o build/libsynwatch.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/sockdemo: $(DEMO_OBJ)
	$(CC) $(CFLAGS) -o $@ $^

asan: build/asan/synwatch build/asan/sockdemo build/asan/unit_tests

build/asan/synwatch: build/asan/obj/capture/app/main.o build/asan/libsynwatch.a
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS)

build/asan/sockdemo: $(DEMO_SRC:%.c=build/asan/obj/%.o)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^

tools: $(TOOLS)

build/tools/%: build/obj/tests/tools/%.o build/libsynwatch.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

# libFuzzer harnesses (clang): the decoder, flow tracker, views and ladder per packet, and the pcapng reader per file;
# tests/fuzz/seeds makes the first one's seeds.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The views also write socket calls and socket-table changes, and draw graphs, so calls/ and graph/ are
# linked in beside them.
FUZZ_LIB_SRC := $(filter common/% capture/decode/% capture/track/% capture/calls/% capture/graph/% capture/view/%,$(LIB_SRC))
# The second harness: the pcapng reader (and its buffer) on whole files, then the same decode and views.
FUZZ_NG_SRC  := capture/source/capbuf.c capture/source/pcapng.c $(FUZZ_LIB_SRC)
# make check builds the harnesses (and run-all.sh runs their smoke) only where clang is installed; make test installs it.
FUZZ_BINS     = $(if $(shell command -v $(FUZZ_CC) 2>/dev/null),build/fuzz/fuzz_decode build/fuzz/fuzz_pcapng build/fuzz/seeds)

build/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -Itests/fuzz $(CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/fuzz_decode: build/fuzz/obj/tests/fuzz/fuzz_decode.o $(FUZZ_LIB_SRC:%.c=build/fuzz/obj/%.o)
	$(FUZZ_CC) $(CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

build/fuzz/fuzz_pcapng: build/fuzz/obj/tests/fuzz/fuzz_pcapng.o $(FUZZ_NG_SRC:%.c=build/fuzz/obj/%.o)
	$(FUZZ_CC) $(CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)

build/fuzz/seeds: tests/fuzz/seeds.c tests/fuzz/fuzz_decode.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(PKG_LIBS)

# Fuzz each harness for FUZZ_SECONDS (default 60) from seeds out of pcaps/, tests/data and the shared corpus;
# crashes land in build/fuzz/.
fuzz: deps
	@$(MAKE) --no-print-directory build/fuzz/fuzz_decode build/fuzz/fuzz_pcapng build/fuzz/seeds
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

# The unit-test runner registers one suite per tests/unit/test_NAME.c, via register_test_NAME().
build/gen/suites.h: $(UNIT_TESTS) Makefile
	@mkdir -p $(dir $@)
	@{ for f in $(notdir $(basename $(UNIT_TESTS))); do echo "SUITE(register_$$f)"; done; } > $@.tmp && mv $@.tmp $@

build/obj/tests/unit/runner.o build/asan/obj/tests/unit/runner.o: build/gen/suites.h
build/obj/tests/unit/runner.o build/asan/obj/tests/unit/runner.o: CPPFLAGS += -Ibuild/gen

# sockdemo's pure formatting helpers are unit-tested too (tests/unit/test_sockdemo_*.c); common/ is in the library.
DEMO_UNIT_SRC := demo/format.c

build/unit_tests: $(UNIT_OBJ) build/libsynwatch.a $(DEMO_UNIT_SRC:%.c=build/obj/%.o)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS) $(CUNIT_LIBS)

build/asan/unit_tests: $(ASAN_UNIT_OBJ) build/asan/libsynwatch.a $(DEMO_UNIT_SRC:%.c=build/asan/obj/%.o)
	$(CC) $(CFLAGS) $(SAN_FLAGS) -o $@ $^ $(PKG_LIBS) $(CUNIT_LIBS)

# The README's two commands: both install what is missing first.
# run: the classroom view (live capture on lo needs root: sudo when we are not).
run: deps
	@$(MAKE) --no-print-directory all
	@if [ "$$(id -u)" -eq 0 ]; then build/synwatch --classroom; else sudo build/synwatch --classroom; fi

test: deps
	@$(MAKE) --no-print-directory all asan build/unit_tests tools $(FUZZ_BINS)
	@tests/run-all.sh

# Without installing anything (for developers who already have the dependencies).
check: all asan build/unit_tests tools $(FUZZ_BINS)
	@tests/run-all.sh

# Re-record the reference captures in pcaps/ from real loopback traffic (needs root and tcpdump).
pcaps: all tools
	@tests/record-pcaps.sh

# Record the classroom scenarios once into pcaps/lesson.pcapng, a lesson replayed without root (needs root).
lesson: all
	@tests/record-lesson.sh

# Benchmark: tools from tests/bench/*.c into build/bench/, then the timed runs.
BENCH_TOOLS := $(patsubst tests/bench/%.c,build/bench/%,$(wildcard tests/bench/*.c))

build/bench/%: tests/bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -o $@ $< $(PKG_LIBS)

bench: all $(BENCH_TOOLS)
	@tests/bench/run.sh

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 0755 build/synwatch build/sockdemo $(DESTDIR)$(BINDIR)/
	install -m 0644 capture/synwatch.1 demo/sockdemo.1 $(DESTDIR)$(MANDIR)/

# Let a normal user capture without sudo: file capabilities on the binary (needs root and libcap2-bin).
# synwatch clears them again as soon as the capture is open.
setcap: build/synwatch
	setcap cap_net_raw,cap_net_admin=eip build/synwatch

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
