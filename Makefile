# ktestme: the Kaltura TestMe console for the terminal.
# make | make run | make test | make test-asan | make install | make deps

VERSION  := 0.1.0
PREFIX   ?= /usr/local
BINDIR   := $(PREFIX)/bin
MANDIR   := $(PREFIX)/share/man/man1
BASHCOMPDIR := $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  := $(PREFIX)/share/zsh/site-functions
DATADIR  := $(PREFIX)/share/ktestme

PKGS     := ncursesw libcurl libxml-2.0 openssl jansson libmicrohttpd sqlite3 inih
TESTPKGS := criterion
# pkg-config module -> Debian package that provides it
DEB_ncursesw     := libncurses-dev
DEB_libcurl      := libcurl4-openssl-dev
DEB_libxml-2.0   := libxml2-dev
DEB_openssl      := libssl-dev
DEB_jansson      := libjansson-dev
DEB_libmicrohttpd := libmicrohttpd-dev
# the config file (profiles): a small, well-kept INI parser
DEB_inih         := libinih-dev
# the persistent history: atomic, searchable, safe with two consoles open
DEB_sqlite3      := libsqlite3-dev
DEB_criterion    := libcriterion-dev
# what the tests drive, as command:package (or /path:package for a file): the console tests
# run in tmux; php lints the PHP code examples; node and npm run Kaltura's Node.js client;
# python3, curl and xmllint check examples and schemas; script gives a command a terminal;
# openssl makes a test certificate; locales has the de_DE source of a decimal-comma locale;
# zsh reads the zsh completion
DEB_TOOLS        := pkg-config:pkg-config tmux:tmux php:php-cli node:nodejs npm:npm curl:curl \
                    python3:python3 xmllint:libxml2-utils script:bsdutils openssl:openssl \
                    localedef:libc-bin /usr/share/i18n/locales/de_DE:locales zsh:zsh
# what the interop tests run Kaltura's PHP and Python clients with (tests/integration/interop_clients.sh)
DEB_INTEROP      := php-curl php-xml python3-requests python3-requests-toolbelt python3-six \
                    python3-lxml python3-pycryptodome

BUILD    ?= build
BIN      ?= ktestme
# V=1 shows every command
Q        := $(if $(V),,@)
CC       ?= cc
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2
ifdef CI
WARN     += -Werror
endif
ifdef WERROR
WARN     += -Werror
endif
OPT      ?= -O2 -g
SAN      ?=
CFLAGS   += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(SAN) -DKT_VERSION='"$(VERSION)"' \
            -DKT_DATADIR='"$(DATADIR)"' -Isrc -Iui
LDFLAGS  += $(SAN)

# Ask pkg-config only when a target needs libraries, so `make deps` works before they exist
# (and says nothing while pkg-config itself is missing).
HAVE_PKGCONFIG = $(shell command -v pkg-config >/dev/null 2>&1 && echo y)
missing   = $(strip $(foreach p,$(1),$(if $(and $(HAVE_PKGCONFIG),$(shell pkg-config --exists $(p) && echo y)),,$(p))))
tool_missing = $(strip $(foreach t,$(DEB_TOOLS),$(if $(shell command -v $(firstword $(subst :, ,$(t))) >/dev/null 2>&1 || [ -e $(firstword $(subst :, ,$(t))) ] && echo y),,$(t))))
ifeq ($(filter deps clean help,$(MAKECMDGOALS)),)
  ifneq ($(call missing,$(PKGS) $(TESTPKGS)),)
    $(info ktestme: missing libraries: $(call missing,$(PKGS) $(TESTPKGS)); running make deps)
    $(shell $(MAKE) --no-print-directory deps >&2)
  else ifneq ($(filter test test-%,$(MAKECMDGOALS)),)
    ifneq ($(tool_missing),)
      $(info ktestme: missing test tools: $(tool_missing); running make deps)
      $(shell $(MAKE) --no-print-directory deps >&2)
    endif
  endif
  PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
  PKG_LIBS   := $(shell pkg-config --libs $(PKGS)) -lpthread
  TEST_CFLAGS := $(shell pkg-config --cflags $(TESTPKGS) 2>/dev/null)
  TEST_LIBS   := $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)
endif

SRC      := $(sort $(wildcard src/*.c src/app/*.c src/sandbox/*.c ui/*.c))
MAIN     := src/main.c
LIBSRC   := $(filter-out $(MAIN),$(SRC))
LIBOBJ   := $(LIBSRC:%.c=$(BUILD)/%.o)
UNITSRC  := $(sort $(wildcard tests/unit/*.c))
UNITOBJ  := $(UNITSRC:%.c=$(BUILD)/%.o)
FIXSRC   := $(sort $(wildcard tests/fixture/*.c))

.PHONY: all run man test test-unit test-integration test-tui test-asan fuzz bench install uninstall deps clean help
all: $(BIN)

# The flags of the last build: a change (CI=true, WERROR=1, SAN=...) rebuilds every object.
# (install and uninstall only copy: tests/integration/install.sh runs them on a built tree.)
FLAGS_NOW := $(CC) $(CFLAGS) $(PKG_CFLAGS) $(TEST_CFLAGS) $(LDFLAGS)
ifeq ($(filter deps clean help install uninstall,$(MAKECMDGOALS)),)
  ifneq ($(FLAGS_NOW),$(file <$(BUILD)/flags))
    $(shell mkdir -p $(BUILD))
    $(file >$(BUILD)/flags,$(FLAGS_NOW))
  endif
endif

$(BIN): $(BUILD)/src/main.o $(LIBOBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: %.c $(BUILD)/flags
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(PKG_CFLAGS) $(TEST_CFLAGS) -MMD -MP -c -o $@ $<

# Unit tests reach modules directly; the CLI and the console are tested through the binary.
UNITLIB  := $(filter-out $(BUILD)/src/cli.o $(BUILD)/src/cli_% $(BUILD)/ui/%,$(LIBOBJ))
$(BUILD)/unit-tests: $(UNITOBJ) $(UNITLIB)
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/fixture-server: $(FIXSRC:%.c=$(BUILD)/%.o) $(BUILD)/src/util.o $(BUILD)/src/utf8.o $(BUILD)/src/err.o \
			$(BUILD)/src/files.o
	@echo "  LD      $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# A decimal-comma locale for the test that numbers ignore the locale, made in the build
# directory (no root, nothing installed): the tests find it through LOCPATH.
TESTLOCALE := $(BUILD)/locale/de_DE.UTF-8
$(TESTLOCALE):
	@mkdir -p $(dir $@)
	$(Q)localedef -i de_DE -f UTF-8 -c $@ >/dev/null 2>&1; [ -d $@ ]

run: $(BIN)
	./$(BIN)

# The man page's key list comes from the console's key table (checked by tests/integration/docs.sh).
man: $(BIN)
	$(Q)man/keys.sh ./$(BIN) > $(BUILD)/keys.roff
	$(Q)awk -v f=$(BUILD)/keys.roff '/^\.\\" keys-begin/ { print; while ((getline l < f) > 0) print l; skip = 1; next } \
		/^\.\\" keys-end/ { skip = 0 } !skip' man/ktestme.1 > $(BUILD)/ktestme.1
	$(Q)mv $(BUILD)/ktestme.1 man/ktestme.1

# Every part runs even when one fails; each leaves "passed failed skipped" in $(RESULTS) and
# tests/summary.sh prints the one closing line (and fails on a skip when CI is set).
RESULTS := $(BUILD)/results
test: $(BIN) $(BUILD)/unit-tests $(if $(FIXSRC),$(BUILD)/fixture-server) $(TESTLOCALE)
	@rm -rf $(RESULTS)
	@rc=0; for part in unit integration tui; do \
	  $(MAKE) --no-print-directory test-$$part || rc=1; done; \
	tests/summary.sh $(RESULTS) unit integration tui || rc=1; exit $$rc

test-unit: $(BUILD)/unit-tests $(TESTLOCALE)
	@mkdir -p $(RESULTS)
	$(Q)LC_ALL=C.UTF-8 LOCPATH=$(BUILD)/locale:/usr/lib/locale KT_TESTDATA=tests/data \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/unit/lsan.supp:print_suppressions=0 \
	  XDG_CACHE_HOME=$(abspath $(BUILD))/unit-cache \
	  $(BUILD)/unit-tests --jobs 2 --json=$(RESULTS)/unit.json; rc=$$?; \
	  tests/unit/results.sh $(RESULTS)/unit.json > $(RESULTS)/unit || rc=1; exit $$rc

test-integration: $(BIN) $(if $(FIXSRC),$(BUILD)/fixture-server)
	@mkdir -p $(RESULTS)
	$(Q)RESULTS=$(RESULTS)/integration KTESTME=./$(BIN) BUILD=$(BUILD) tests/integration/run.sh

# The console in tmux, against the sandbox it embeds.
test-tui: $(BIN) $(if $(FIXSRC),$(BUILD)/fixture-server)
	@mkdir -p $(RESULTS)
	$(Q)RESULTS=$(RESULTS)/tui FIXTURE_SERVER=$(BUILD)/fixture-server tests/tui/run.sh ./$(BIN)

# The whole suite again under AddressSanitizer and UndefinedBehaviorSanitizer, in its own build dir.
test-asan:
	$(MAKE) --no-print-directory BUILD=build-asan BIN=build-asan/ktestme OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' test

# libFuzzer targets, one per parser, each run for FUZZ_SECONDS (not part of make test);
# FUZZ_ONLY=fuzz_name runs one. The library is built once per target set with clang.
FUZZSRC      := $(sort $(wildcard tests/fuzz/$(or $(FUZZ_ONLY),*).c))
FUZZ_SECONDS ?= 60
FUZZLIB      := $(filter-out src/cli.c src/cli_% $(MAIN) ui/%,$(SRC))
FUZZFLAGS    := -std=c11 -D_GNU_SOURCE -g -O1 -DKT_VERSION='"$(VERSION)"' \
                -DKT_DATADIR='"$(DATADIR)"' -Isrc $(PKG_CFLAGS)
FUZZOBJ      := $(FUZZLIB:%.c=$(BUILD)/fuzz/obj/%.o)
fuzz:
	@command -v clang >/dev/null || { $(SUDO) apt-get install -y -qq clang >/dev/null; }
	@$(MAKE) --no-print-directory fuzz-run

$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)clang $(FUZZFLAGS) -fsanitize=fuzzer-no-link,address,undefined -MMD -MP -c -o $@ $<

$(BUILD)/fuzz/bin/%: tests/fuzz/%.c $(FUZZOBJ)
	@mkdir -p $(dir $@)
	@echo "  FUZZLD  $@"
	$(Q)clang $(FUZZFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(PKG_LIBS)

.PHONY: fuzz-run
.SECONDARY: $(FUZZOBJ)
fuzz-run: $(FUZZSRC:tests/fuzz/%.c=$(BUILD)/fuzz/bin/%)
	@mkdir -p $(BUILD)/fuzz/corpus $(BUILD)/fuzz/crashes
	@set -e; for f in $(FUZZSRC); do n=$$(basename $$f .c); \
	  echo "  FUZZ    $$n ($(FUZZ_SECONDS) s)"; \
	  mkdir -p $(BUILD)/fuzz/corpus/$$n; \
	  rc=0; $(BUILD)/fuzz/bin/$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 \
	    -artifact_prefix=$(BUILD)/fuzz/crashes/$$n- \
	    $(BUILD)/fuzz/corpus/$$n $$( [ -d tests/fuzz/seeds/$$n ] && echo tests/fuzz/seeds/$$n ) \
	    >$(BUILD)/fuzz/$$n.log 2>&1 || rc=$$?; \
	  tail -1 $(BUILD)/fuzz/$$n.log; \
	  [ $$rc = 0 ] || { echo "  FUZZ    $$n failed: $(BUILD)/fuzz/$$n.log, input in $(BUILD)/fuzz/crashes"; exit 1; }; \
	done

# Every comparison of issue 14 against its peer, in one run: bench/results.md (not part of make test).
bench: $(BIN)
	bench/run.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(DATADIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/ktestme
	install -m 0644 man/ktestme.1 $(DESTDIR)$(MANDIR)/ktestme.1
	$(if $(wildcard schemas/*.xml),install -m 0644 schemas/*.xml $(DESTDIR)$(DATADIR)/)
	@# completion from the schema installed beside it
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	$(abspath $(BIN)) completion bash --schema schemas/kaltura.xml > $(BUILD)/ktestme.bash
	$(abspath $(BIN)) completion zsh --schema schemas/kaltura.xml > $(BUILD)/_ktestme
	install -m 0644 $(BUILD)/ktestme.bash $(DESTDIR)$(BASHCOMPDIR)/ktestme
	install -m 0644 $(BUILD)/_ktestme $(DESTDIR)$(ZSHCOMPDIR)/_ktestme

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ktestme $(DESTDIR)$(MANDIR)/ktestme.1
	rm -f $(DESTDIR)$(BASHCOMPDIR)/ktestme $(DESTDIR)$(ZSHCOMPDIR)/_ktestme
	rm -rf $(DESTDIR)$(DATADIR)

# Installs the Debian packages whose pkg-config module, tool or file is missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
deps:
	@need="$(strip $(foreach p,$(call missing,$(PKGS) $(TESTPKGS)),$(DEB_$(p))))"; \
	for t in $(DEB_TOOLS); do command -v $${t%%:*} >/dev/null 2>&1 || [ -e $${t%%:*} ] || \
	  need="$$need $${t#*:}"; done; \
	for p in $(DEB_INTEROP); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || \
	  need="$$need $$p"; done; \
	[ -z "$$need" ] && { echo "ktestme: all dependencies present"; exit 0; }; \
	echo "ktestme: installing $$need"; \
	$(SUDO) apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$need \
	  >/dev/null

clean:
	rm -rf build build-asan $(BIN)

help:
	@echo "make            build ./ktestme"
	@echo "make run        open the console (the sandbox inside when no endpoint is set)"
	@echo "make test       build and run every test (unit, integration, tui)"
	@echo "make test-asan  the test suite under ASan and UBSan"
	@echo "make man        rewrite the man page's key list from the key table"
	@echo "make fuzz       run each libFuzzer target for FUZZ_SECONDS (FUZZ_ONLY=fuzz_name)"
	@echo "make bench      compare against curl, xmllint, jq and Kaltura's clients: bench/results.md"
	@echo "make install    install (PREFIX=$(PREFIX), DESTDIR=)"
	@echo "make deps       install missing Debian packages"

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
