# SPDX-License-Identifier: BSD-3-Clause
#
# keel's top-level build. Everything goes to build/ (never into the source
# tree). Targets: all run test test-c test-queues-tsan bench bench-queues
# fuzz install clean.
#   make SANITIZER=address|undefined|thread   (implies MALLOC=libc)
#   make DEBUG=1                              (-O0, assertions on)
#   make MALLOC=libc                          (no jemalloc)
#   make test TESTFLAGS="--single unit/protocol --clients 4"

BUILD     ?= build
PREFIX    ?= /usr/local
CC        ?= cc
MALLOC    ?= jemalloc
SANITIZER ?=
DEBUG     ?= 0
FUZZ_TIME ?= 60

ifneq ($(SANITIZER),)
MALLOC := libc
endif

OPT := -O2
ifeq ($(DEBUG),1)
OPT := -O0 -g3 -DKEEL_DEBUG
endif

SAN_FLAGS :=
ifeq ($(SANITIZER),address)
SAN_FLAGS := -fsanitize=address -fno-omit-frame-pointer
else ifeq ($(SANITIZER),undefined)
SAN_FLAGS := -fsanitize=undefined -fno-sanitize-recover=all
else ifeq ($(SANITIZER),thread)
SAN_FLAGS := -fsanitize=thread
else ifneq ($(SANITIZER),)
$(error SANITIZER must be address, undefined or thread)
endif

MALLOC_FLAGS :=
MALLOC_LIBS :=
ifeq ($(MALLOC),jemalloc)
MALLOC_FLAGS := -DKEEL_USE_JEMALLOC
MALLOC_LIBS := -ljemalloc
else ifneq ($(MALLOC),libc)
$(error MALLOC must be jemalloc or libc)
endif

# Objects of different flag sets never mix: each variant has its own folder.
VARIANT := $(MALLOC)-$(if $(SANITIZER),$(SANITIZER),nosan)-$(if $(filter 1,$(DEBUG)),debug,opt)
OBJ     := $(BUILD)/obj/$(VARIANT)

WARN     := -Wall -Wextra -Werror
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE -g $(OPT) $(WARN) $(SAN_FLAGS) -Iinclude -MMD -MP $(CFLAGS)
# The core sees its own headers; modules see only include/keel (the ABI).
CFLAGS_ALL := $(CFLAGS_COMMON) $(MALLOC_FLAGS) -Isrc -I/usr/include/lua5.1 -DKEEL_MODULE_DIR='"$(PREFIX)/lib/keel/modules"'
CFLAGS_MODULE := $(CFLAGS_COMMON) -fPIC
LDFLAGS_ALL := $(SAN_FLAGS) $(LDFLAGS)
# Unresolved symbols in a module are link errors, except under sanitizers,
# whose runtime lives in the executable and resolves at load time.
MODULE_LINK_CHECK := $(if $(SANITIZER),,-Wl,--no-undefined)
LIBS     := $(MALLOC_LIBS) -llzf -llua5.1-cjson -llua5.1-bitop -llua5.1 -ldl -lpthread -lm

CORE_SRC   := $(filter-out src/server/main.c,$(wildcard src/*/*.c))
CORE_OBJ   := $(CORE_SRC:%.c=$(OBJ)/%.o)
MAIN_OBJ   := $(OBJ)/src/server/main.o
CORE_LIB   := $(OBJ)/libkeelcore.a

SOCKET_SRC := $(wildcard modules/socket/*.c) $(wildcard modules/common/*.c)
SOCKET_OBJ := $(SOCKET_SRC:%.c=$(OBJ)/pic/%.o)

TEST_SRC   := $(wildcard tests/c/test_*.c)
TEST_BIN   := $(TEST_SRC:tests/c/%.c=$(BUILD)/tests/%)
TEST_SUPPORT_OBJ := $(OBJ)/tests/c/harness.o

# The IO-thread queues (modules/iothreads/) use libc, pthreads and C11
# atomics only: their tests link them directly, compiled as for the module
# (PIC, no core headers), and need neither the core library nor -Isrc.
QUEUE_SRC   := modules/iothreads/spmc.c modules/iothreads/mpsc.c modules/iothreads/spsc.c
QUEUE_OBJ   := $(QUEUE_SRC:%.c=$(OBJ)/pic/%.o)
QUEUE_TESTS := test_spmc test_mpsc test_spsc test_job
QUEUE_TEST_BIN := $(QUEUE_TESTS:%=$(BUILD)/tests/%)
QUEUE_TEST_OBJ := $(QUEUE_TESTS:%=$(OBJ)/tests/c/%.o)
QUEUE_CFLAGS := $(CFLAGS_COMMON) -pthread -Imodules/iothreads

# The same tests under ThreadSanitizer, in their own folder whatever the
# variant: `make test` runs them (test-queues-tsan), any report fails them.
TSAN_DIR    := $(BUILD)/tsan
TSAN_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 $(WARN) -fsanitize=thread -pthread -Imodules/iothreads -MMD -MP
TSAN_QUEUE_OBJ := $(QUEUE_SRC:%.c=$(TSAN_DIR)/obj/%.o) $(TSAN_DIR)/obj/tests/c/harness.o
TSAN_TEST_BIN  := $(QUEUE_TESTS:%=$(TSAN_DIR)/%)

# Test-only modules (good and deliberately broken) for the loader tests.
FIXTURE_SRC := $(wildcard tests/modules/fixtures/*.c)
FIXTURES    := $(FIXTURE_SRC:tests/modules/fixtures/%.c=$(BUILD)/tests/fixtures/%.so)

# keel-iothreads.so: the queues plus the engine and its entry points.
IOTHREADS_SRC := $(wildcard modules/iothreads/*.c)
IOTHREADS_OBJ := $(IOTHREADS_SRC:%.c=$(OBJ)/pic/%.o)

# keel-tls.so: the TLS transport; only it links OpenSSL (never the server).
TLS_SRC := $(wildcard modules/tls/*.c) $(wildcard modules/common/*.c)
TLS_OBJ := $(TLS_SRC:%.c=$(OBJ)/pic/%.o)

# keel-rdma.so: the RDMA transport; only it links librdmacm and libibverbs.
# proto.c, ring.c and args.c use libc only. The test_rdma_* unit tests link
# the module's objects with in-process fakes of the verbs and connection-
# manager calls (tests/c/rdma_fake_*.c), so they run without a device and
# without the libraries; the test client keel-rdma-cli links proto, ring,
# args and verbs.c (no core at all).
RDMA_SRC := $(wildcard modules/rdma/*.c) modules/common/conn_sync_read.c
RDMA_OBJ := $(RDMA_SRC:%.c=$(OBJ)/pic/%.o)
RDMA_PURE_OBJ := $(patsubst %,$(OBJ)/pic/modules/rdma/%.o,proto ring args)
RDMA_TEST_LINK := $(RDMA_OBJ) $(OBJ)/tests/c/rdma_fake_verbs.o $(OBJ)/tests/c/rdma_fake_cm.o
RDMA_LIBS := -lrdmacm -libverbs
RDMA_TEST_BIN := $(patsubst tests/c/%.c,$(BUILD)/tests/%,$(wildcard tests/c/test_rdma_*.c))
RDMA_TEST_OBJ := $(patsubst $(BUILD)/tests/%,$(OBJ)/tests/c/%.o,$(RDMA_TEST_BIN))
RDMA_CLI := $(BUILD)/bin/keel-rdma-cli

SERVER     := $(BUILD)/bin/keel-server
CHECK_RDB  := $(BUILD)/bin/keel-check-rdb
CHECK_AOF  := $(BUILD)/bin/keel-check-aof
MODULES    := $(BUILD)/modules/keel-socket.so $(BUILD)/modules/keel-iothreads.so \
              $(BUILD)/modules/keel-tls.so $(BUILD)/modules/keel-rdma.so
STAMP      := $(BUILD)/.variant-$(VARIANT)

PHONY_EXTRA := fixtures
.PHONY: $(PHONY_EXTRA) all run test test-c test-tcl test-queues-tsan bench bench-queues fuzz fuzz-smoke install clean deps deps-test deps-bench

all: $(SERVER) $(MODULES) $(CHECK_RDB) $(CHECK_AOF) $(RDMA_CLI)

# Relink when the variant changes, so build/bin always matches the last make.
$(STAMP):
	@mkdir -p $(BUILD)
	@rm -f $(BUILD)/.variant-*
	@touch $@

$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(OBJ)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_MODULE) -c $< -o $@

$(CORE_LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(SERVER): $(MAIN_OBJ) $(CORE_LIB) $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(MAIN_OBJ) $(CORE_LIB) $(LIBS)

# keel-check-rdb: the RDB checker, linked against the core like the server.
$(CHECK_RDB): $(OBJ)/tools/keel-check-rdb.o $(CORE_LIB) $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(OBJ)/tools/keel-check-rdb.o $(CORE_LIB) $(LIBS)

# keel-check-aof: the AOF checker, linked the same way.
$(CHECK_AOF): $(OBJ)/tools/keel-check-aof.o $(CORE_LIB) $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(OBJ)/tools/keel-check-aof.o $(CORE_LIB) $(LIBS)

$(BUILD)/modules/keel-socket.so: $(SOCKET_OBJ) $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -shared $(MODULE_LINK_CHECK) -o $@ $(SOCKET_OBJ)

$(BUILD)/modules/keel-iothreads.so: $(IOTHREADS_OBJ) $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -shared $(MODULE_LINK_CHECK) -o $@ $(IOTHREADS_OBJ) -lpthread

$(BUILD)/modules/keel-tls.so: $(TLS_OBJ) $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -shared $(MODULE_LINK_CHECK) -o $@ $(TLS_OBJ) -lssl -lcrypto

$(BUILD)/modules/keel-rdma.so: $(RDMA_OBJ) $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -shared $(MODULE_LINK_CHECK) -o $@ $(RDMA_OBJ) $(RDMA_LIBS)

# keel-rdma-cli: a small RDMA client (tests/modules/rdma/ end-to-end tests).
$(RDMA_CLI): $(OBJ)/pic/tools/keel-rdma-cli.o $(RDMA_PURE_OBJ) $(OBJ)/pic/modules/rdma/verbs.o $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(OBJ)/pic/tools/keel-rdma-cli.o $(RDMA_PURE_OBJ) \
	    $(OBJ)/pic/modules/rdma/verbs.o $(RDMA_LIBS)

$(BUILD)/tests/%: $(OBJ)/tests/c/%.o $(TEST_SUPPORT_OBJ) $(CORE_LIB) $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(TEST_SUPPORT_OBJ) $(CORE_LIB) $(LIBS)

$(QUEUE_TEST_OBJ): $(OBJ)/tests/c/%.o: tests/c/%.c
	@mkdir -p $(dir $@)
	$(CC) $(QUEUE_CFLAGS) -c $< -o $@

$(QUEUE_TEST_BIN): $(BUILD)/tests/%: $(OBJ)/tests/c/%.o $(TEST_SUPPORT_OBJ) $(QUEUE_OBJ) $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -pthread -o $@ $< $(TEST_SUPPORT_OBJ) $(QUEUE_OBJ)

$(RDMA_TEST_OBJ): $(OBJ)/tests/c/%.o: tests/c/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) -Imodules/rdma -c $< -o $@

$(RDMA_TEST_BIN): $(BUILD)/tests/%: $(OBJ)/tests/c/%.o $(TEST_SUPPORT_OBJ) $(RDMA_TEST_LINK) $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $< $(TEST_SUPPORT_OBJ) $(RDMA_TEST_LINK)

$(TSAN_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(TSAN_CFLAGS) -c $< -o $@

$(TSAN_TEST_BIN): $(TSAN_DIR)/%: $(TSAN_DIR)/obj/tests/c/%.o $(TSAN_QUEUE_OBJ)
	$(CC) -fsanitize=thread -pthread -o $@ $^

$(BUILD)/tests/fixtures/%.so: tests/modules/fixtures/%.c $(STAMP)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_MODULE) $(LDFLAGS_ALL) -shared -o $@ $<

fixtures: $(FIXTURES)

deps:
	@deps/install-deps.sh build
deps-test:
	@deps/install-deps.sh test
deps-bench:
	@deps/install-deps.sh bench

run: deps
	@$(MAKE) --no-print-directory all
	$(SERVER) conf/keel.conf

test-c: $(TEST_BIN) $(FIXTURES)
	@tests/run-c-tests.sh $(BUILD)/tests

# Queue stress tests under ThreadSanitizer; the first report stops a binary
# with status 66, which counts as a failure.
test-queues-tsan: $(TSAN_TEST_BIN)
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66 $(TSAN_OPTIONS)" tests/run-c-tests.sh $(TSAN_DIR)

test-tcl: all $(FIXTURES)
	@tclsh tests/runtest $(TESTFLAGS)

# The whole suite: C units, the queue tests under ThreadSanitizer, the fuzz
# smoke run, then the Tcl suite, summed into one closing "N passed, M failed"
# line.
test: deps-test
	@$(MAKE) --no-print-directory all $(TEST_BIN) $(FIXTURES)
	@tests/run-all.sh "$(BUILD)" "$(TESTFLAGS)"

# Queue micro-benchmark: keel's rings vs a mutex+condvar ring vs ck_ring.
BENCH_QUEUES := $(BUILD)/bench/queues
$(BENCH_QUEUES): tools/bench/queues.c $(QUEUE_SRC) $(wildcard modules/iothreads/*.h)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE -g -O2 $(WARN) -pthread -Imodules/iothreads -o $@ \
	    tools/bench/queues.c $(QUEUE_SRC)

bench-queues: deps-bench
	@$(MAKE) --no-print-directory $(BENCH_QUEUES)
	$(BENCH_QUEUES) $(BENCH_QUEUES_FLAGS)

# keel vs redis-server; benchmarks this BUILD's keel and writes BUILD/bench/last.txt.
bench: deps-bench
	@$(MAKE) --no-print-directory all
	KEEL_SERVER=$${KEEL_SERVER:-$(BUILD)/bin/keel-server} \
	    BENCH_OUT=$${BENCH_OUT:-$(BUILD)/bench/last.txt} tools/bench/compare.sh
	@# IO threads on this machine: keel with keel-iothreads.so (2 threads,
	@# always active) vs keel inline vs redis-server with 2 IO threads.
	KEEL_SERVER=$${KEEL_SERVER:-$(BUILD)/bin/keel-server} BENCH_IO_THREADS=2 \
	    BENCH_IO_CLIENTS="1 50 400" BENCH_REQUESTS=$${BENCH_IO_REQUESTS:-200000} \
	    BENCH_OUT=$(BUILD)/bench/iothreads.txt tools/bench/iothreads.sh

# libFuzzer target for the request parser (clang only).
FUZZ_BIN := $(BUILD)/fuzz/fuzz_rsp_parse
FUZZ_SRC := tests/fuzz/fuzz_rsp_parse.c src/net/rsp_parse.c src/ds/sds.c src/ds/strnum.c \
            src/db/object.c src/server/mem.c
$(FUZZ_BIN): $(FUZZ_SRC)
	@mkdir -p $(dir $@)
	clang -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Isrc -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    -o $@ $(FUZZ_SRC)

fuzz: deps-test $(FUZZ_BIN)
	@mkdir -p $(BUILD)/fuzz/corpus
	$(FUZZ_BIN) -max_total_time=$(FUZZ_TIME) -max_len=4096 $(BUILD)/fuzz/corpus tests/fuzz/seeds

fuzz-smoke: $(FUZZ_BIN)
	@mkdir -p $(BUILD)/fuzz/corpus
	@$(FUZZ_BIN) -max_total_time=10 -max_len=4096 $(BUILD)/fuzz/corpus tests/fuzz/seeds

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/keel/modules
	install -m 755 $(SERVER) $(DESTDIR)$(PREFIX)/bin/keel-server
	install -m 755 $(MODULES) $(DESTDIR)$(PREFIX)/lib/keel/modules/

clean:
	rm -rf $(BUILD) tests/tmp

-include $(shell find $(BUILD)/obj $(TSAN_DIR)/obj -name '*.d' 2>/dev/null)
