# tests/unit/functions.tcl: FUNCTION LOAD | DELETE | FLUSH | LIST | STATS |
# KILL | HELP, FCALL and FCALL_RO: library metadata errors, register_function
# in both forms and its argument errors, flags (no-writes, allow-oom),
# read-only calls, REPLACE, collisions, and the library life cycle.
#
# Passes against Debian's redis-server 7.0 too, except the few tests for
# Valkey-only behaviour, which skip themselves there.

proc functions_server_is_valkey_like {} {
    return [expr {![catch {r set __functions_probe 1 ifeq 1}]}]
}

# A library named lib with one function per name in fnames, each returning
# its own name.
proc functions_library {lib args} {
    set code "#!lua name=$lib\n"
    foreach fname $args {
        append code "redis.register_function('$fname', function(keys, args) return '$fname' end)\n"
    }
    return $code
}

start_server {tags {scripting functions}} {
    test "FUNCTION LOAD and FCALL" {
        r function flush
        assert_equal lib1 [r function load [functions_library lib1 f1 f2]]
        assert_equal f1 [r fcall f1 0]
        assert_equal f2 [r fcall f2 0]
        # Function names ignore case; library names do not.
        assert_equal f1 [r fcall F1 0]
        assert_error {ERR Library not found} {r function delete LIB1}
    }

    test "Functions get KEYS and ARGV as arguments" {
        r function load replace "#!lua name=lib1\nredis.register_function('f1', function(keys, args) return {keys, args} end)"
        assert_equal {{a b} {c d}} [r fcall f1 2 a b c d]
        assert_equal {{} {}} [r fcall f1 0]
        r function load replace "#!lua name=lib1\nredis.register_function('f1', function() return KEYS end)"
        assert_error {ERR user_function:2: Script attempted to access nonexistent global variable 'KEYS' script: f1, on @user_function:2.} {r fcall f1 0}
    }

    test "FCALL errors" {
        assert_error {ERR Function not found} {r fcall nosuch 0}
        assert_error {ERR Function not found} {r fcall nosuch x}
        assert_error {ERR Bad number of keys provided} {r fcall f1 x}
        assert_error {ERR Number of keys can't be negative} {r fcall f1 -1}
        assert_error {ERR Number of keys can't be greater than number of args} {r fcall f1 5}
        assert_error {ERR wrong number of arguments for 'fcall' command} {r fcall f1}
    }

    test "Library metadata errors" {
        assert_error {ERR Missing library metadata} {r function load "return 1"}
        assert_error {ERR Library name was not given} {r function load "#!lua\nreturn 1"}
        assert_error {ERR Invalid metadata value given: foo=bar} {r function load "#!lua name=x foo=bar\nreturn 1"}
        assert_error {ERR Invalid metadata value, name argument was given multiple times} {r function load "#!lua name=a name=b\nreturn 1"}
        assert_error {ERR Engine 'py' not found} {r function load "#!py name=x\nreturn 1"}
        assert_error {ERR Invalid library metadata} {r function load "#!lua name=x"}
        assert_error {ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long} \
            {r function load "#!lua name=bad-name\nredis.register_function('f', function() return 1 end)"}
        assert_error {ERR No functions registered} {r function load "#!lua name=empty\nlocal x = 1"}
        assert_error {ERR Error compiling function: user_function:2: *} {r function load "#!lua name=x\nreturn ("}
        assert_error {ERR Error registering functions: ERR user_function:2: attempt to perform arithmetic on a nil value} {r function load "#!lua name=x\nlocal x = nil + 1"}
    }

    test "Library code sees only the load-time API" {
        foreach {code name} {"error('boom')" error "return string.len('x')" string
                             "return math.floor(1)" math "return redis.setresp(3)" setresp
                             "return redis.sha1hex('x')" sha1hex "return redis.call('ping')" call} {
            assert_error "ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable '$name'" \
                [list r function load "#!lua name=x\n$code"]
        }
        # The functions themselves see everything.
        r function load replace "#!lua name=full\nredis.register_function('full', function() return string.len(redis.sha1hex('x')) end)"
        assert_equal 40 [r fcall full 0]
        r function delete full
    }

    test "FUNCTION LOAD argument errors" {
        assert_error {ERR wrong number of arguments for 'function|load' command} {r function load}
        assert_error {ERR Unknown option given: bad} {r function load bad "x"}
        assert_error {ERR Missing library metadata} {r function load replace}
    }

    test "register_function positional errors" {
        foreach {code err} {
            "redis.register_function('g')" {ERR Error registering functions: ERR calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).}
            "redis.register_function()" {ERR Error registering functions: ERR wrong number of arguments to redis.register_function}
            "redis.register_function('g', 'x', 'y')" {ERR Error registering functions: ERR wrong number of arguments to redis.register_function}
            "redis.register_function('g', 2)" {ERR Error registering functions: ERR second argument to redis.register_function must be a function}
            "redis.register_function({}, function() end)" {ERR Error registering functions: ERR first argument to redis.register_function must be a string}
            "redis.register_function('g', function() end)\nredis.register_function('g', function() end)" {ERR Error registering functions: ERR Function already exists in the library}
        } {
            assert_error $err [list r function load "#!lua name=lib2\n$code"]
        }
        assert_error {ERR Error registering functions: ERR *names can only contain letters*} \
            {r function load "#!lua name=lib2\nredis.register_function('bad name', function() end)"}
        assert_error {ERR user_script:1: attempt to call field 'register_function' (a nil value)*} \
            {r eval {redis.register_function('x', function() end)} 0}
    }

    test "register_function named-argument errors" {
        foreach {args err} {
            "{function_name='g'}" {*must get a callback argument}
            "{callback=function() end}" {*must get a function name argument}
            "{function_name='g', callback=function() end, flags={'bad'}}" {*unknown flag given}
            "{function_name='g', callback=function() end, flags='x'}" {*flags argument to redis.register_function must be a table representing function flags}
            "{function_name='g', callback=function() end, foo=1}" {*unknown argument given to redis.register_function}
            "{function_name='g', callback=1}" {*callback argument given to redis.register_function must be a function}
            "{function_name={}, callback=function() end}" {*function_name argument given to redis.register_function must be a string}
            "{function_name='g', callback=function() end, description={}}" {*description argument given to redis.register_function must be a string}
        } {
            assert_error "ERR Error registering functions: ERR $err" \
                [list r function load "#!lua name=lib2\nredis.register_function$args"]
        }
    }

    test "Library and function collisions, REPLACE" {
        r function flush
        r function load [functions_library lib1 f1]
        assert_error {ERR Library 'lib1' already exists} {r function load [functions_library lib1 f9]}
        assert_error {ERR Function f1 already exists} {r function load [functions_library lib2 f1]}
        assert_equal lib1 [r function load replace [functions_library lib1 f9]]
        assert_equal f9 [r fcall f9 0]
        assert_error {ERR Function not found} {r fcall f1 0}
        # A failed REPLACE keeps the old library.
        r function load [functions_library lib3 f3]
        assert_error {ERR Function f3 already exists} {r function load replace [functions_library lib1 f3]}
        assert_equal f9 [r fcall f9 0]
        assert_error {ERR No functions registered} {r function load replace "#!lua name=lib1\nlocal x = 1"}
        assert_equal f9 [r fcall f9 0]
    }

    test "Flags: no-writes functions and FCALL_RO" {
        r function flush
        r function load "#!lua name=lib1
redis.register_function('rw', function() return redis.call('set','x','1') end)
redis.register_function{function_name='ro', callback=function() return redis.call('set','x','1') end, flags={'no-writes'}, description='desc'}
redis.register_function{function_name='get', callback=function() return redis.call('get','x') end, flags={'no-writes', 'allow-oom'}}"
        assert_equal OK [r fcall rw 0]
        assert_error {ERR Write commands are not allowed from read-only scripts. script: ro, on @user_function:3.} {r fcall ro 0}
        assert_equal 1 [r fcall get 0]
        assert_equal 1 [r fcall_ro get 0]
        assert_error {ERR Can not execute a script with write flag using \*_ro command.} {r fcall_ro rw 0}
        assert_error {ERR Write commands are not allowed from read-only scripts*} {r fcall_ro ro 0}
    }

    test "Functions under maxmemory" {
        r config set maxmemory 1
        catch {
            assert_error {OOM command not allowed*} {r fcall rw 0}
            assert_equal 1 [r fcall get 0]
        } err
        r config set maxmemory 0
        if {$err ne ""} { error $err }
    }

    test "FUNCTION LIST" {
        set list [r function list]
        assert_equal 1 [llength $list]
        set lib [lindex $list 0]
        assert_equal {library_name lib1 engine LUA functions} [lrange $lib 0 4]
        set fns [lindex $lib 5]
        assert_equal 3 [llength $fns]
        foreach fn $fns {
            set d [dict create {*}$fn]
            switch [dict get $d name] {
                rw { assert_equal {{} {}} [list [dict get $d description] [dict get $d flags]] }
                ro { assert_equal {desc no-writes} [list [dict get $d description] [dict get $d flags]] }
                get { assert_equal {no-writes allow-oom} [dict get $d flags] }
                default { fail "unexpected function $fn" }
            }
        }
        assert_equal library_code [lindex [lindex [r function list withcode] 0] 6]
        assert_match "#!lua name=lib1*" [lindex [lindex [r function list withcode] 0] 7]
        assert_equal 1 [llength [r function list libraryname lib*]]
        assert_equal 0 [llength [r function list libraryname nomatch]]
        assert_equal 1 [llength [r function list withcode libraryname lib1]]
        assert_error {ERR library name argument was not given} {r function list libraryname}
        assert_error {ERR Unknown argument bad} {r function list bad}
        assert_error {ERR Unknown argument withcode} {r function list withcode withcode}
    }

    test "FUNCTION STATS, KILL, HELP" {
        assert_equal {running_script {} engines {LUA {libraries_count 1 functions_count 3}}} [r function stats]
        assert_error {NOTBUSY No scripts in execution right now.} {r function kill}
        assert_match {*LOAD*DELETE*LIST*STATS*KILL*FLUSH*} [r function help]
        assert_error {ERR unknown subcommand 'nosuch'*} {r function nosuch}
    }

    test "FUNCTION DELETE and FLUSH" {
        r function load [functions_library lib2 g2]
        assert_error {ERR Library not found} {r function delete nosuch}
        assert_equal OK [r function delete lib2]
        assert_error {ERR Function not found} {r fcall g2 0}
        assert_error {ERR FUNCTION FLUSH only supports SYNC|ASYNC option} {r function flush bad}
        assert_equal OK [r function flush async]
        assert_equal {} [r function list]
        r function load [functions_library lib2 g2]
        assert_equal OK [r function flush sync]
        assert_equal {} [r function list]
        assert_error {ERR Function not found} {r fcall g2 0}
        # Loading works again after a flush.
        assert_equal lib2 [r function load [functions_library lib2 g2]]
        assert_equal g2 [r fcall g2 0]
    }

    test "A failed function's writes stay (no rollback)" {
        r del k
        r function load "#!lua name=lib3\nredis.register_function('h', function() redis.call('set','k','v') ; error('x') end)"
        assert_error {ERR user_function:2: x script: h, on @user_function:2.} {r fcall h 0}
        assert_equal v [r get k]
    }

    test "FUNCTION DUMP and RESTORE round trip" {
        r function flush
        r function load [functions_library dl1 df1]
        r function load "[functions_library dl2 df2]-- long enough to be compressed by LZF [string repeat x 100]"
        set payload [r function dump]
        assert_equal OK [r function flush]
        assert_equal OK [r function restore $payload]
        assert_equal df1 [r fcall df1 0]
        assert_equal df2 [r fcall df2 0]
        assert_equal $payload [r function dump]
        # APPEND (the default) refuses an existing library; REPLACE takes it.
        assert_error {ERR Library dl* already exists} {r function restore $payload}
        assert_error {ERR Library dl* already exists} {r function restore $payload append}
        assert_equal OK [r function restore $payload replace]
        assert_equal 2 [llength [r function list]]
        # FLUSH drops what is there first.
        r function load [functions_library extra ex]
        assert_equal OK [r function restore $payload flush]
        assert_equal 2 [llength [r function list]]
        assert_error {ERR Function not found} {r fcall ex 0}
        # An empty dump restores nothing.
        r function flush
        set empty [r function dump]
        assert_equal OK [r function restore $empty]
        assert_equal {} [r function list]
    }

    test "FUNCTION RESTORE errors leave the libraries unchanged" {
        r function flush
        r function load [functions_library dl1 df1]
        set payload [r function dump]
        r function flush
        r function load [functions_library other df1]
        assert_error {ERR Function df1 already exists} {r function restore $payload}
        assert_error {ERR Function df1 already exists} {r function restore $payload replace}
        assert_equal {other} [dict get [lindex [r function list] 0] library_name]
        assert_error {ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.} \
            {r function restore $payload bad}
        assert_error {ERR DUMP payload version or checksum are wrong} {r function restore x}
        assert_error {ERR DUMP payload version or checksum are wrong} \
            {r function restore "[string range $payload 0 end-1]x"}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'restore'*} \
            {r function restore $payload flush x}
        assert_error {ERR wrong number of arguments for 'function|dump' command} {r function dump x}
        assert_equal df1 [r fcall df1 0]
    }

    test "Function names with invalid characters (Valkey's text)" {
        skip_unless {[functions_server_is_valkey_like]} "redis 7.0 reports the library-name text"
        assert_error {ERR Error registering functions: ERR Function names can only contain letters, numbers, or underscores(_) and must be at least one character long} \
            {r function load "#!lua name=lib9\nredis.register_function('bad name', function() end)"}
    }

    test "COMMAND INFO for FCALL" {
        set info [lindex [r command info fcall] 0]
        assert_equal {noscript stale skip_monitor no_mandatory_keys movablekeys} [lindex $info 2]
        assert_equal {a b} [r command getkeys fcall f 2 a b c]
        set info [lindex [r command info function|load] 0]
        assert_equal {write denyoom noscript} [lindex $info 2]
    }
}

# ---- libraries in RDB files ----

# A fresh folder for one test's files.
proc functions_dir {name} {
    set dir [file join $::keel::server::tmp_root "functions-$name.[pid]"]
    file delete -force $dir
    file mkdir $dir
    return $dir
}

set dir [functions_dir rdb]
start_server [list tags {functions persist} overrides [list dir $dir save {""}]] {
    test "SAVE writes function libraries into the RDB file" {
        r function load [functions_library rdblib rdbf1]
        r function load "#!lua name=rdblib2\nredis.register_function{function_name='rdbf2', callback=function(keys, args) return args\[1\] end, flags={'no-writes'}, description='second'}"
        r set rdb:key value
        assert_equal OK [r save]
    }
}
start_server [list tags {functions persist} overrides [list dir $dir save {""} enable-debug-command yes]] {
    test "... and start-up loads them back: FUNCTION LIST and FCALL work" {
        assert_equal {rdblib rdblib2} [lsort [lmap lib [r function list] {dict get $lib library_name}]]
        assert_equal rdbf1 [r fcall rdbf1 0]
        assert_equal hi [r fcall_ro rdbf2 0 hi]
        set lib2 [lindex [r function list libraryname rdblib2] 0]
        set fn [lindex [dict get $lib2 functions] 0]
        assert_equal second [dict get $fn description]
        assert_equal no-writes [dict get $fn flags]
        assert_equal value [r get rdb:key]
    }

    test "DEBUG RELOAD flushes the libraries and loads the file's back" {
        r function delete rdblib2
        r save
        r function load [functions_library afterlib afterf]
        assert_equal OK [r debug reload nosave]
        assert_equal {rdblib} [lmap lib [r function list] {dict get $lib library_name}]
        assert_error "*Function not found*" {r fcall afterf 0}
        assert_equal OK [r debug reload]
        assert_equal {rdblib} [lmap lib [r function list] {dict get $lib library_name}]
        assert_equal rdbf1 [r fcall rdbf1 0]
    }

    test "DEBUG RELOAD NOFLUSH MERGE replaces a library the file also has" {
        skip_unless {[functions_server_is_valkey_like]} "redis-server 7.0 kills itself on a NOFLUSH conflict"
        assert_equal OK [r debug reload nosave noflush merge]
        assert_equal {rdblib} [lmap lib [r function list] {dict get $lib library_name}]
        assert_equal rdbf1 [r fcall rdbf1 0]
    }
}

set dir [functions_dir redis70]
test "A redis-server 7.0 RDB file with a function library loads into keel" {
    skip_unless {[file executable /usr/bin/redis-server]} "no /usr/bin/redis-server"
    set port [find_free_port]
    exec /usr/bin/redis-server --port $port --bind 127.0.0.1 --dir $dir --dbfilename fn70.rdb \
        --save "" --daemonize yes --logfile [file join $dir redis.log]
    set c ""
    wait_for_condition 50 100 {[catch {set c [keel_client 127.0.0.1 $port -tls 0]}] == 0} else {
        fail "redis-server did not start"
    }
    $c function load [functions_library lib70 f70]
    $c save
    catch {$c shutdown nosave}
    $c close
    set ::functions_redis70_saved 1
}
start_server [list tags {functions persist} overrides [list dir $dir dbfilename fn70.rdb save {""}]] {
    test "... and its function runs" {
        skip_unless {[info exists ::functions_redis70_saved]} "no redis-server 7.0 file"
        assert_equal {lib70} [lmap lib [r function list] {dict get $lib library_name}]
        assert_equal f70 [r fcall f70 0]
    }
}

# ---- libraries in the append-only file ----

proc functions_wait_rewrite {} {
    wait_for_condition 100 50 {[info_field [r info persistence] aof_rewrite_in_progress] == 0 &&
        [info_field [r info persistence] aof_rewrite_scheduled] == 0} else {
        fail "the AOF rewrite did not finish"
    }
}

foreach preamble {yes no} {
    set dir [functions_dir aof-$preamble]
    start_server [list tags {functions persist} overrides [list dir $dir save {""} appendonly yes aof-use-rdb-preamble $preamble]] {
        test "FUNCTION LOAD is kept in the AOF, and a rewrite keeps it (aof-use-rdb-preamble $preamble)" {
            r function load [functions_library aoflib aoff1]
            r function load [functions_library aofgone aofgone1]
            r function delete aofgone
            r set aof:key 1
            r bgrewriteaof
            functions_wait_rewrite
            r function load [functions_library aoflater aoff2]
        }
    }
    start_server [list tags {functions persist} overrides [list dir $dir save {""} appendonly yes aof-use-rdb-preamble $preamble enable-debug-command yes]] {
        test "... and start-up loads it back (aof-use-rdb-preamble $preamble)" {
            assert_equal {aoflater aoflib} [lsort [lmap lib [r function list] {dict get $lib library_name}]]
            assert_equal aoff1 [r fcall aoff1 0]
            assert_equal aoff2 [r fcall aoff2 0]
            assert_equal 1 [r get aof:key]
        }

        test "DEBUG LOADAOF drops the libraries first and loads the AOF's (aof-use-rdb-preamble $preamble)" {
            assert_equal OK [r debug loadaof]
            assert_equal {aoflater aoflib} [lsort [lmap lib [r function list] {dict get $lib library_name}]]
            assert_equal aoff2 [r fcall aoff2 0]
        }
    }
}
