# tests/modules/loader.tcl: loading keel modules: every failure stops start-up
# with one log line naming the file, the reason and the config line (exit 1,
# never a half-started server); what loads shows in MODULE LIST; runtime
# MODULE LOAD/UNLOAD of transports is refused while the server keeps serving.

# keel modules only: against another server (the reference redis-server)
# these tests have nothing to check.
if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own modules"
}
# About module loading as the plain listeners see it: under --tls, tests/modules/tls/ covers the
# TLS transport instead.
file_tags {tls:skip}

set fixtures [file normalize [file join [file dirname [info script]] ../../build/tests/fixtures]]
# The server looks for bare module names next to its own bin/ folder.
set moddir [file normalize [file join [file dirname $::keel::server::binary] ../modules]]

# Runs a server that must fail to start; returns its log (stdout + stderr)
# after checking that it exited with status 1.
proc failed_start {options} {
    lassign [start_server_and_fail $options] code out err
    assert_equal 1 $code "exit status"
    return "$out\n$err"
}

test "a missing module file stops start-up naming the file, the reason and the line" {
    set log [failed_start {config_lines {"loadmodule /nonexistent/keel-tls.so"}}]
    assert_match "*Module /nonexistent/keel-tls.so failed to load: /nonexistent/keel-tls.so: cannot open shared object file: No such file or directory (at *keel.conf:1)*" $log
    assert_match "*Can't load module from /nonexistent/keel-tls.so: server aborting*" $log
}

test "a bare module name is looked up in the module directory" {
    set log [failed_start {config_lines {"loadmodule keel-nothere.so"}}]
    assert_match "*Module $moddir/keel-nothere.so failed to load: *cannot open shared object file*" $log
}

test "a module given with --loadmodule names the command line as its origin" {
    set log [failed_start {args {--loadmodule /nonexistent/x.so}}]
    assert_match "*Module /nonexistent/x.so failed to load: *(from --loadmodule)*" $log
}

test "a shared object without the keel entry points is refused" {
    set log [failed_start [list config_lines [list "loadmodule $fixtures/no_entry.so"]]]
    assert_match "*Module $fixtures/no_entry.so does not export keel_module_onload() or keel_module_abi. Module not loaded. (at *:1)*" $log
}

test "a module exporting the ABI number but no onload is refused" {
    set log [failed_start [list config_lines [list "loadmodule $fixtures/abi_only.so"]]]
    assert_match "*does not export keel_module_onload() or keel_module_abi*" $log
}

test "a module built for another ABI version is refused before any of its code runs" {
    set log [failed_start [list config_lines [list "loadmodule $fixtures/wrong_abi.so"]]]
    assert_match "*Module $fixtures/wrong_abi.so failed to load: built for keel module ABI 2, this server provides ABI 1; rebuild the module (at *:1)*" $log
}

test "a module with an unresolved symbol fails at load time (RTLD_NOW)" {
    set log [failed_start [list config_lines [list "loadmodule $fixtures/bad_symbol.so"]]]
    assert_match "*Module $fixtures/bad_symbol.so failed to load: *undefined symbol*" $log
}

test "a second connection type with a taken name is refused, naming the owner" {
    set log [failed_start [list config_lines [list "loadmodule keel-socket.so" "loadmodule $fixtures/good.so name=tcp"]]]
    assert_match "*Module $fixtures/good.so failed to load: connection type \"tcp\" is already registered by keel-socket.so (at *:2)*" $log
}

test "a connection type missing a required member is refused" {
    set log [failed_start [list config_lines [list "loadmodule $fixtures/missing_member.so"]]]
    assert_match "*failed to load: connection type \"nomember\": missing read() (at *:1)*" $log
}

test "a module whose onload fails gives its own reason" {
    set log [failed_start [list config_lines [list "loadmodule $fixtures/good.so fail=1"]]]
    assert_match "*Module $fixtures/good.so failed to load: *(at *:1)*" $log
    assert_match "*server aborting*" $log
}

test "keel-socket.so refuses module arguments" {
    set log [failed_start {config_lines {"loadmodule keel-socket.so foo=1"}}]
    assert_match "*failed to load: keel-socket.so takes no arguments, got \"foo=1\" (at *:1)*" $log
}

test "keel-iothreads.so refuses module arguments" {
    set log [failed_start {config_lines {"loadmodule keel-iothreads.so threads=4"}}]
    assert_match "*failed to load: keel-iothreads.so takes no arguments, got \"threads=4\" (at *:1)*" $log
}

test "the same module twice is refused" {
    set log [failed_start {config_lines {"loadmodule keel-socket.so" "loadmodule keel-socket.so"}}]
    assert_match "*failed to load: it is already loaded (at *:2)*" $log
}

test "a TLS option without keel-tls.so names the module to load" {
    set log [failed_start {config_lines {"tls-port 6380"}}]
    assert_match "*>>> 'tls-port 6380'*tls-port needs keel-tls.so: add 'loadmodule keel-tls.so'*" $log
}

test "io-threads above 1 loads keel-iothreads.so and fails clearly while it is not built" {
    skip_unless {![file exists $moddir/keel-iothreads.so]} "keel-iothreads.so is built"
    set log [failed_start {config_lines {"io-threads 4"}}]
    assert_match "*Module $moddir/keel-iothreads.so failed to load: *cannot open shared object file* (loaded automatically for io-threads > 1)*" $log
}

# These servers count their modules exactly: under --io-threads they run
# with io-threads 1, so the IO-thread module is not loaded beside them.
start_server [list tags {modules} overrides {io-threads 1} config_lines [list "loadmodule $fixtures/good.so name=fixture2 extra=1" "enable-module-command yes"]] {
    test "MODULE LIST shows each loaded module with name, version, path and args" {
        set list [r module list]
        set names {}
        foreach entry $list { lappend names [dict get $entry name] }
        assert_equal {fixture2 socket} [lsort $names]
        foreach entry $list {
            if {[dict get $entry name] eq "fixture2"} {
                assert_equal "$fixtures/good.so" [dict get $entry path]
                assert_equal {name=fixture2 extra=1} [dict get $entry args]
            }
        }
    }

    test "the socket module was loaded automatically for the default listener" {
        assert_equal 1 [count_log_lines "*Module 'socket' loaded from $moddir/keel-socket.so*"]
    }

    test "INFO modules lists every loaded module" {
        set info [r info modules]
        assert_match "*module:name=socket,ver=1,api=1,*" $info
        assert_match "*module:name=fixture2,*" $info
    }

    test "MODULE LOAD of a transport at runtime is refused and the server keeps serving" {
        assert_error "ERR Error loading the extension. Please check the server logs." {
            r module load $fixtures/dup_tcp.so
        }
        wait_for_log_line "*Connection type dupextra can be loaded only during startup*"
        assert_equal PONG [r ping]
        assert_equal 2 [llength [r module list]]
    }

    test "MODULE LOAD of a module already loaded is refused" {
        assert_error "ERR Error loading the extension*" {r module load $fixtures/good.so}
        wait_for_log_line "*good.so failed to load: it is already loaded (from MODULE LOAD)*"
    }

    test "MODULE LOAD of a missing file is refused with the same reply" {
        assert_error "ERR Error loading the extension*" {r module load /nonexistent/m.so}
        assert_equal PONG [r ping]
    }

    test "MODULE UNLOAD of a transport is refused and logged; it keeps serving" {
        assert_error "ERR Error unloading module: operation not possible." {r module unload socket}
        wait_for_log_line "*Connection type tcp can not be unloaded*"
        assert_equal PONG [r ping]
    }

    test "MODULE LIST stays allowed while MODULE LOAD is gated" {
        assert_equal 2 [llength [r module list]]
    }

    test "MODULE UNLOAD of an unknown module names the problem" {
        assert_error "ERR Error unloading module: no such module with that name" {r module unload nosuch}
    }

    test "MODULE LOADEX with bad options is a syntax error" {
        assert_error "ERR syntax error" {r module loadex $fixtures/good.so BOGUS}
    }
}

start_server {tags {modules} overrides {io-threads 1}} {
    test "a server with no loadmodule line serves through the auto-loaded socket module" {
        set list [r module list]
        assert_equal 1 [llength $list]
        assert_equal socket [dict get [lindex $list 0] name]
        assert_equal {} [dict get [lindex $list 0] args]
    }
}

start_server {tags {modules} overrides {io-threads 1}} {
    test "MODULE LOAD is refused while enable-module-command is off (the default)" {
        assert_error "ERR MODULE command not allowed. If the enable-module-command option is set to \"local\"*" {
            r module load $fixtures/good.so
        }
        assert_equal 1 [llength [r module list]]
    }
}

# A module's options live in the same registry as the core's: the config
# file may set them before the loadmodule line, and CONFIG GET/SET/REWRITE
# treat them like any other option.
start_server [list tags {modules config} config_lines [list "fixture-level 42" "loadmodule $fixtures/good.so name=optfix option=fixture-level"]] {
    test "a module option set in the config file before its loadmodule line applies" {
        assert_equal {fixture-level 42} [r config get fixture-level]
        assert_match "*fixture-level*" [r config get fixture-*]
    }

    test "CONFIG SET checks a module option's bounds and runs its apply hook" {
        assert_equal OK [r config set fixture-level 50]
        assert_equal {fixture-level 50} [r config get fixture-level]
        assert_error "ERR CONFIG SET failed (possibly related to argument 'fixture-level') - argument must be between 0 and 100 inclusive" {
            r config set fixture-level 101
        }
        assert_error "ERR CONFIG SET failed (possibly related to argument 'fixture-level') - 13 is unlucky" {
            r config set fixture-level 13
        }
        assert_equal {fixture-level 50} [r config get fixture-level]
    }

    test "CONFIG REWRITE writes a module option like a core one" {
        r config set fixture-level 60
        r config rewrite
        set f [open [srv config_file]]
        set text [read $f]
        close $f
        assert_match "*fixture-level 60*" $text
        assert_match "*loadmodule $fixtures/good.so name=optfix option=fixture-level*" $text
    }
}

test "a module option with a bad value stops start-up naming the line" {
    set log [failed_start [list config_lines [list "loadmodule $fixtures/good.so name=optfix2 option=fixture-depth" "fixture-depth 500"]]]
    assert_match "*>>> 'fixture-depth 500'*argument must be between 0 and 100 inclusive*" $log
}

test "an option of a module that is not loaded is a bad directive" {
    set log [failed_start {config_lines {"fixture-level 1"}}]
    assert_match "*>>> 'fixture-level 1'*Bad directive or wrong number of arguments*" $log
}
