# tests/unit/scripting.tcl: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT:
# Lua <-> RESP conversions (RESP2 and RESP3), the redis/server API and its
# argument errors, error texts with their script position, the sandbox
# (protected globals, read-only libraries, no os/io/loadfile), shebang
# flags, read-only scripts, OOM, blocking commands inside scripts, the
# script cache and MONITOR's view of scripts.
#
# Passes against Debian's redis-server 7.0 too, except the few tests for
# Valkey-only behaviour, which skip themselves there.

# Valkey-like servers (keel, Valkey 8) have SET IFEQ; redis 7.0 does not.
proc scripting_server_is_valkey_like {} {
    return [expr {![catch {r set __scripting_probe 1 ifeq 1}]}]
}

start_server {tags {scripting} overrides {enable-debug-command yes}} {
    set nc [keel_client -null (nil)]

    # ---- Lua -> RESP ----

    test "EVAL returns integers, strings and nested tables" {
        assert_equal 1 [r eval {return 1} 0]
        assert_equal hello [r eval {return 'hello'} 0]
        assert_equal {1 2 {3 x} 4} [r eval {return {1,2,{3,'x'},4}} 0]
        assert_equal {1 {2 {3 4}}} [r eval {return {1,{2,{3,{4}}}}} 0]
    }

    test "EVAL truncates floats to integers" {
        assert_equal 3 [r eval {return 3.99} 0]
        assert_equal -3 [r eval {return -3.7} 0]
        assert_equal {1 2} [r eval {return {1.9, 2.1}} 0]
    }

    test "EVAL converts false and nil to null and true to 1" {
        assert_equal (nil) [$nc eval {return false} 0]
        assert_equal (nil) [$nc eval {return nil} 0]
        assert_equal (nil) [$nc eval {return} 0]
        assert_equal 1 [r eval {return true} 0]
    }

    test "EVAL stops an array at the first nil" {
        assert_equal {1} [r eval {return {1,nil,3}} 0]
        assert_equal {1 2 3} [r eval {return {1,2,3,nil,5}} 0]
        assert_equal {1 {} 3} [r eval {return {1,false,3}} 0]
    }

    test "EVAL status and error tables" {
        assert_equal FINE [r eval {return {ok='FINE'}} 0]
        assert_equal {a  b} [r eval "return {ok='a\\r\\nb'}" 0]
        assert_error {My Error} {r eval {return {err='My Error'}} 0}
        assert_equal FINE [r eval {return redis.status_reply('FINE')} 0]
        assert_error {My Error} {r eval {return redis.error_reply('My Error')} 0}
        assert_error {ERR bad} {r eval {return redis.error_reply('bad')} 0}
        assert_error {CODE x} {r eval {return redis.error_reply('-CODE x')} 0}
        # Non-string err/ok fields make an ordinary array.
        assert_equal {} [r eval {return {err=1}} 0]
        assert_equal {1} [r eval {return {1, x='y'}} 0]
    }

    test "EVAL RESP3-only tables fall back in RESP2" {
        assert_equal 3.5 [r eval {return {double=3.5}} 0]
        assert_equal 123 [r eval {return {big_number='123'}} 0]
        assert_equal {a 1} [r eval {return {map={a=1}}} 0]
        assert_equal {a} [r eval {return {set={a=true}}} 0]
    }

    # ---- RESP -> Lua ----

    test "redis.call converts replies to Lua types" {
        r del k l
        assert_equal OK [r eval {return redis.call('set', KEYS[1], 'v')} 1 k]
        assert_equal table [r eval {return type(redis.call('set', KEYS[1], 'v'))} 1 k]
        assert_equal OK [r eval {return redis.call('set', KEYS[1], 'v')['ok']} 1 k]
        assert_equal boolean [r eval {return type(redis.call('get', 'nokey'))} 0]
        assert_equal 0 [r eval {if redis.call('get', 'nokey') == false then return 0 end return 1} 0]
        assert_equal number [r eval {return type(redis.call('incr', 'cnt'))} 0]
        r rpush l a b
        assert_equal {a b} [r eval {return redis.call('lrange', 'l', 0, -1)} 0]
        assert_equal table [r eval {return type(redis.call('lrange', 'l', 0, -1))} 0]
        assert_equal 0 [r eval {return #redis.call('lrange', 'nokey', 0, -1)} 0]
    }

    test "redis.pcall returns error replies as tables" {
        r set str x
        assert_match {WRONGTYPE*} [r eval {return redis.pcall('lpush', 'str', 'a')['err']} 0]
        assert_error {WRONGTYPE*} {r eval {return redis.pcall('lpush', 'str', 'a')} 0}
        assert_equal table [r eval {return type(redis.pcall('nosuch'))} 0]
    }

    test "redis.call raises error replies with the script position" {
        r set str x
        assert_error {WRONGTYPE Operation against a key holding the wrong kind of value script: *, on @user_script:1.} \
            {r eval {return redis.call('lpush', 'str', 'a')} 0}
        assert_error {ERR value is not an integer or out of range script: *, on @user_script:1.} \
            {r eval {return redis.call('incr', 'str')} 0}
        assert_error {ERR value is not an integer*@user_script:3.} \
            {r eval "local a = 1\nlocal b = 2\nreturn redis.call('incr', 'str')" 0}
    }

    test "Lua pcall catches redis.call errors as their text" {
        assert_equal [list false {ERR Unknown Redis command called from script}] \
            [r eval {local ok, e = pcall(redis.call, 'nosuch'); return {tostring(ok), e}} 0]
        assert_equal string [r eval {local ok, e = pcall(error, {err='x'}); return type(e)} 0]
        assert_equal table [r eval {local ok, e = pcall(error, {1}); return type(e)} 0]
        assert_equal {1 2} [r eval {local ok, a, b = pcall(function() return 1, 2 end); return {a, b}} 0]
    }

    test "redis.call numbers become integers or shortest doubles" {
        assert_equal 12.5 [r eval {return redis.call('echo', 12.5)} 0]
        assert_equal 7 [r eval {return redis.call('echo', 7.0)} 0]
        assert_equal 1e+20 [r eval {return redis.call('echo', 1e20)} 0]
    }

    test "redis.call argument errors" {
        assert_error {ERR Please specify at least one argument for this redis lib call script: *} \
            {r eval {return redis.call()} 0}
        assert_error {ERR Lua redis lib command arguments must be strings or integers script: *} \
            {r eval {return redis.call({})} 0}
        assert_error {ERR Lua redis lib command arguments must be strings or integers script: *} \
            {r eval {return redis.call('echo', true)} 0}
        # pcall returns the same error as a table.
        assert_error {ERR Lua redis lib command arguments must be strings or integers} \
            {r eval {return redis.pcall({})} 0}
    }

    test "Scripts get the checks a client gets" {
        assert_error {ERR Unknown Redis command called from script script: *, on @user_script:1.} \
            {r eval {return redis.call('nosuch')} 0}
        assert_error {ERR Wrong number of args calling Redis command from script script: *} \
            {r eval {return redis.call('get')} 0}
        assert_error {ERR Unknown Redis command called from script*} \
            {r eval {return redis.call('config', 'nosuch')} 0}
        foreach cmd {{multi} {exec} {watch x} {subscribe x} {monitor} {eval "return 1" 0}
                     {script flush} {function flush} {client pause 10}} {
            assert_error {ERR *command is not allowed from script*} \
                [list r eval "return redis.call('[join $cmd {','}]')" 0]
        }
    }

    test "Blocking commands are refused inside a script" {
        r del nolist
        foreach call {{'blpop', 'nolist', 0} {'bzpopmin', 'nolist', 0}
                      {'blmove', 'nolist', 'b', 'left', 'left', 0} {'brpoplpush', 'nolist', 'b', 0}} {
            assert_error {ERR *command is not allowed from script*} \
                [list r eval "return redis.call($call)" 0]
        }
        # The script still runs to its end (nothing waits).
        assert_equal 1 [r eval {redis.pcall('blpop', 'nolist', 0); return 1} 0]
    }

    # ---- RESP3 ----

    test "redis.setresp(3) gives RESP3 types to the script" {
        r del h
        r hset h a 1
        assert_equal 1 [r eval {redis.setresp(3); return redis.call('hgetall', 'h')['map']['a']} 0]
        assert_equal nil [r eval {redis.setresp(3); return type(redis.call('get', 'nokey'))} 0]
        assert_equal 1 [r eval {redis.setresp(3); local s = redis.call('smembers', 'nosuch'); return s['set'] ~= nil and 1 or 0} 0]
        r sadd s x
        assert_equal true [r eval {redis.setresp(3); return tostring(redis.call('smembers', 's')['set']['x'])} 0]
        assert_equal 1.5 [r eval {redis.setresp(3); return tostring(redis.call('zincrby', 'z', 1.5, 'm')['double'])} 0]
    }

    test "RESP3 scripts return booleans; RESP2 scripts 1 and null" {
        r hello 3
        assert_equal 1 [r eval {redis.setresp(3); return true} 0]
        assert_equal 0 [r eval {redis.setresp(3); return false} 0]
        assert_equal 3.5 [r eval {return {double=3.5}} 0]
        assert_equal {a 1} [r eval {return {map={a=1}}} 0]
        r hello 2
    }

    test "redis.setresp argument errors" {
        assert_error {ERR RESP version must be 2 or 3. script: *} {r eval {redis.setresp(4)} 0}
        assert_error {ERR redis.setresp() requires one argument. script: *} {r eval {redis.setresp()} 0}
    }

    # ---- the API ----

    test "redis.sha1hex" {
        assert_equal da39a3ee5e6b4b0d3255bfef95601890afd80709 [r eval {return redis.sha1hex('')} 0]
        assert_equal a9993e364706816aba3e25717850c26c9cd0d89d [r eval {return redis.sha1hex('abc')} 0]
        assert_equal 356a192b7913b04c54574d18c28d46e6395428ab [r eval {return redis.sha1hex(1)} 0]
        assert_error {ERR wrong number of arguments script: *} {r eval {return redis.sha1hex()} 0}
    }

    test "redis.error_reply and status_reply argument errors" {
        assert_error {ERR wrong number or type of arguments} {r eval {return redis.error_reply()} 0}
        assert_error {ERR wrong number or type of arguments} {r eval {return redis.status_reply(1)} 0}
    }

    test "redis.log levels and errors" {
        assert_equal {} [r eval {redis.log(redis.LOG_WARNING, 'from', 'script'); return nil} 0]
        assert_equal {0 1 2 3} [r eval {return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}} 0]
        assert_error {ERR redis.log() requires two arguments or more. script: *} {r eval {redis.log()} 0}
        assert_error {ERR First argument must be a number (log level). script: *} {r eval {redis.log('a', 'b')} 0}
        assert_error {ERR Invalid debug level. script: *} {r eval {redis.log(99, 'b')} 0}
    }

    test "redis.set_repl, replicate_commands, breakpoint, debug" {
        assert_equal {0 1 2 2 3} [r eval {return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}} 0]
        assert_equal {} [r eval {return redis.set_repl(redis.REPL_ALL)} 0]
        assert_error {ERR Invalid replication flags*} {r eval {redis.set_repl(9)} 0}
        assert_error {ERR redis.set_repl() requires *} {r eval {redis.set_repl()} 0}
        assert_equal 1 [r eval {return redis.replicate_commands()} 0]
        assert_equal {} [r eval {return redis.breakpoint()} 0]
        assert_equal {} [r eval {return redis.debug('x')} 0]
    }

    test "redis.acl_check_cmd" {
        assert_equal 1 [r eval {return redis.acl_check_cmd('set', 'a', 'b')} 0]
        assert_error {ERR Invalid command passed to redis.acl_check_cmd() script: *} {r eval {return redis.acl_check_cmd('nosuch')} 0}
        assert_error {ERR Please specify at least one argument*} {r eval {return redis.acl_check_cmd()} 0}
    }

    test "server is another name for redis (Valkey), and the version constants" {
        if {[scripting_server_is_valkey_like]} {
            assert_equal OK [r eval {return server.call('set', 'srv', 1)} 0]
            assert_equal 1 [r eval {return server == redis} 0]
        }
        assert_match {7.*} [r eval {return redis.REDIS_VERSION} 0]
        assert_equal 1 [r eval {return redis.REDIS_VERSION_NUM >= 0x070000} 0]
    }

    test "SELECT inside a script does not change the caller's database" {
        r select 9
        r del dbx
        r select 0
        assert_equal OK [r eval {redis.call('select', 9); return redis.call('set', 'dbx', '1')} 0]
        assert_equal 0 [r exists dbx]
        r select 9
        assert_equal 1 [r exists dbx]
        r select 0
    }

    # ---- errors ----

    test "Runtime errors carry the script and line" {
        assert_error {ERR user_script:1: boom script: *, on @user_script:1.} {r eval {error('boom')} 0}
        assert_error {CUSTOM thing script: *, on @user_script:1.} {r eval {error({err='CUSTOM thing'})} 0}
        assert_error {X y script: *, on @user_script:2.} {r eval "\nerror(redis.error_reply('X y'))" 0}
        assert_error {ERR user_script:1: attempt to perform arithmetic*} {r eval {return nil + 1} 0}
    }

    test "Compile errors" {
        assert_error {ERR Error compiling script (new function): user_script:1: *} {r eval {syntax error here} 0}
        assert_error {ERR Error compiling script (new function): user_script:1: *} {r script load {return (}}
    }

    # ---- sandbox ----

    test "Globals are protected" {
        assert_error {ERR user_script:1: Script attempted to access nonexistent global variable 'x' script: *} {r eval {return x} 0}
        assert_error {ERR user_script:1: Attempt to modify a readonly table script: *} {r eval {x = 1} 0}
        assert_error {ERR user_script:1: Attempt to modify a readonly table script: *} {r eval {_G.x = 1} 0}
        assert_error {ERR Attempt to modify a readonly table script: *} {r eval {rawset(_G, 'x', 1)} 0}
        assert_error {ERR Attempt to modify a readonly table script: *} {r eval {setmetatable(_G, nil)} 0}
        assert_equal {} [r eval {return getmetatable(_G)} 0]
        assert_equal 1 [r eval {local t = {} ; t.x = 1; return t.x} 0]
        assert_equal 1 [r eval {local t = setmetatable({}, {}); return 1} 0]
    }

    test "Library tables are read-only" {
        assert_error {ERR user_script:1: Attempt to modify a readonly table script: *} {r eval {redis.call = nil} 0}
        assert_error {ERR user_script:1: Attempt to modify a readonly table script: *} {r eval {redis.foo = 1} 0}
        assert_error {ERR user_script:1: Attempt to modify a readonly table script: *} {r eval {string.foo = 1} 0}
        assert_error {ERR user_script:1: Attempt to modify a readonly table script: *} {r eval {cjson.encode = 1} 0}
        assert_error {ERR Attempt to modify a readonly table script: *} {r eval {rawset(redis, 'call', 1)} 0}
        assert_error {ERR Attempt to modify a readonly table script: *} {r eval {setmetatable(redis, {})} 0}
        assert_error {ERR user_script:1: Attempt to modify a readonly table script: *} {r eval {getmetatable('').__index = {}} 0}
        assert_equal ABC [r eval {return ('abc'):upper()} 0]
        assert_equal 1 [r eval {local n = 0; for k,v in pairs(redis) do n = n + 1 end; return n > 10} 0]
        assert_equal {} [r eval {return string.foo} 0]
    }

    test "No file, os or module access" {
        foreach name {loadfile dofile os io require print getfenv setfenv newproxy module debug} {
            assert_error "ERR user_script:1: Script attempted to access nonexistent global variable '$name'*" \
                [list r eval "return $name" 0]
        }
        foreach lib {cjson bit cmsgpack struct string math table} {
            assert_equal table [r eval "return type($lib)" 0]
        }
        assert_equal 1 [r eval {return loadstring('return 1')()} 0]
    }

    test "math.random is the 48-bit generator Valkey uses" {
        r script flush
        # The sequence continues across scripts; randomseed restarts it.
        assert_equal {27 69} [r eval {math.randomseed(7); return {math.random(100), math.random(100)}} 0]
        assert_equal {27 69} [r eval {math.randomseed(7); return {math.random(100), math.random(100)}} 0]
        assert_error {*interval is empty*} {r eval {return math.random(0)} 0}
    }

    # ---- KEYS, ARGV, numkeys ----

    test "KEYS and ARGV" {
        assert_equal {k a} [r eval {return {KEYS[1], ARGV[1]}} 1 k a]
        assert_equal {2 2} [r eval {return {#KEYS, #ARGV}} 2 a b c d]
        assert_equal {0 0} [r eval {return {#KEYS, #ARGV}} 0]
    }

    test "numkeys errors" {
        assert_error {ERR Number of keys can't be negative} {r eval {return 1} -1}
        assert_error {ERR Number of keys can't be greater than number of args} {r eval {return 1} 2 a}
        assert_error {ERR value is not an integer or out of range} {r eval {return 1} x}
        assert_error {ERR wrong number of arguments for 'eval' command} {r eval {return 1}}
        assert_error {ERR Number of keys can't be negative} {r evalsha ffffffffffffffffffffffffffffffffffffffff -1}
    }

    # ---- shebang flags and read-only scripts ----

    test "Shebang errors" {
        assert_error {ERR Unexpected flag in script shebang: bad} {r eval "#!lua flags=bad\nreturn 1" 0}
        assert_error {ERR Unknown lua shebang option: foo=bar} {r eval "#!lua foo=bar\nreturn 1" 0}
        assert_error {ERR Unexpected engine in script shebang: #!python} {r eval "#!python\nreturn 1" 0}
        assert_error {ERR Invalid script shebang} {r eval "#!lua" 0}
        assert_equal 1 [r eval "#!lua\nreturn 1" 0]
        assert_equal 1 [r eval "#!lua flags=\nreturn 1" 0]
        assert_equal 1 [r eval "#!lua flags=no-writes,allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 1" 0]
    }

    test "Shebang keeps line numbers" {
        assert_error {*@user_script:3.} {r eval "#!lua\n\nerror('x')" 0}
    }

    test "no-writes scripts and EVAL_RO refuse writes" {
        r set a 1
        assert_error {ERR Write commands are not allowed from read-only scripts*} \
            {r eval "#!lua flags=no-writes\nreturn redis.call('set','a','b')" 0}
        assert_equal 1 [r eval "#!lua flags=no-writes\nreturn redis.call('get','a')" 0]
        assert_error {ERR Write commands are not allowed from read-only scripts*} \
            {r eval_ro {return redis.call('set','a','b')} 0}
        assert_equal 1 [r eval_ro {return redis.call('get','a')} 0]
        assert_error {ERR Can not execute a script with write flag using \*_ro command.} \
            {r eval_ro "#!lua\nreturn redis.call('get','a')" 0}
        assert_equal 1 [r eval_ro "#!lua flags=no-writes\nreturn redis.call('get','a')" 0]
        assert_equal 1 [r get a]
    }

    test "OOM: first write refused, flags decide for shebang scripts" {
        r set x y
        r config set maxmemory 1
        catch {
            assert_error {OOM command not allowed when used memory > 'maxmemory'.*} \
                {r eval {return redis.call('set','x','y')} 0}
            assert_equal y [r eval {return redis.call('get','x')} 0]
            assert_error {OOM command not allowed*} {r eval "#!lua\nreturn redis.call('get','x')" 0}
            assert_equal y [r eval "#!lua flags=no-writes\nreturn redis.call('get','x')" 0]
            assert_equal OK [r eval "#!lua flags=allow-oom\nreturn redis.call('set','x','z')" 0]
            assert_equal 1 [r eval {return redis.call('del','x')} 0]
        } err
        r config set maxmemory 0
        if {$err ne ""} { error $err }
    }

    # ---- cache ----

    test "EVALSHA runs cached scripts and NOSCRIPT otherwise" {
        r script flush
        set sha [r script load {return 'cached'}]
        assert_equal $sha [r eval {return redis.sha1hex("return 'cached'")} 0]
        assert_equal cached [r evalsha $sha 0]
        assert_equal cached [r evalsha [string toupper $sha] 0]
        assert_equal cached [r evalsha_ro $sha 0]
        assert_error {NOSCRIPT No matching script*} {r evalsha ffffffffffffffffffffffffffffffffffffffff 0}
        assert_error {NOSCRIPT No matching script*} {r evalsha abc 0}
        # EVAL caches too.
        r eval {return 'via eval'} 0
        assert_equal {via eval} [r evalsha [r eval {return redis.sha1hex("return 'via eval'")} 0] 0]
    }

    test "SCRIPT EXISTS, FLUSH, KILL, LOAD errors" {
        r script flush
        set sha [r script load {return 1}]
        assert_equal e0e1f9fabfc9d4800c877a703b823ac0578ff8db $sha
        assert_equal {1 0} [r script exists $sha ffffffffffffffffffffffffffffffffffffffff]
        assert_equal {1} [r script exists [string toupper $sha]]
        assert_equal OK [r script flush async]
        assert_equal {0} [r script exists $sha]
        r script load {return 1}
        assert_equal OK [r script flush sync]
        assert_equal {0} [r script exists $sha]
        assert_error {ERR SCRIPT FLUSH only support SYNC|ASYNC option} {r script flush bad}
        assert_error {ERR SCRIPT FLUSH only support SYNC|ASYNC option} {r script flush sync extra}
        assert_error {NOTBUSY No scripts in execution right now.} {r script kill}
        assert_error {ERR wrong number of arguments for 'script|exists' command} {r script exists}
        assert_error {ERR wrong number of arguments for 'script|load' command} {r script load}
        assert_error {ERR unknown subcommand 'nosuch'*} {r script nosuch}
        assert_match {*EXISTS*FLUSH*KILL*LOAD*} [r script help]
    }

    test "SCRIPT FLUSH resets the Lua state" {
        r script flush
        assert_equal 1 [r eval {return 1} 0]
    }

    test "MONITOR shows the script line, then its commands from lua" {
        set rd [keel_deferring_client]
        $rd monitor
        assert_equal OK [$rd read]
        r eval {redis.call('set', 'mk', 'v'); return redis.call('get', 'mk')} 1 mk
        assert_match {*"eval"*"1" "mk"} [$rd read]
        assert_match {*\[0 lua\] "set" "mk" "v"} [$rd read]
        assert_match {*\[0 lua\] "get" "mk"} [$rd read]
        $rd close
    }

    test "EVAL inside MULTI, and a script's writes touch WATCHed keys" {
        r del mx
        r multi
        r eval {return redis.call('incr', 'mx')} 0
        r eval {return redis.call('incr', 'mx')} 0
        assert_equal {1 2} [r exec]
        r watch mx
        r eval {return redis.call('incr', 'mx')} 0
        r multi
        r get mx
        assert_equal {} [r exec]
    }

    test "A script's commands count in commandstats" {
        r config resetstat
        r eval {redis.call('set', 'cs', 1); redis.call('set', 'cs', 2); return redis.call('get', 'cs')} 0
        set info [r info commandstats]
        assert_match {*cmdstat_set:calls=2,*} $info
        assert_match {*cmdstat_get:calls=1,*} $info
        assert_match {*cmdstat_eval:calls=1,*} $info
    }

    test "COMMAND INFO and GETKEYS for EVAL" {
        assert_equal {a b} [r command getkeys eval {return 1} 2 a b c]
        assert_equal {a} [r command getkeys evalsha_ro abc 1 a b]
        set info [lindex [r command info eval] 0]
        assert_equal -3 [lindex $info 1]
        assert_equal {noscript stale skip_monitor no_mandatory_keys movablekeys} [lindex $info 2]
        assert_equal {@slow @scripting} [lindex $info 6]
        set info [lindex [r command info eval_ro] 0]
        assert_equal {readonly noscript stale skip_monitor no_mandatory_keys movablekeys} [lindex $info 2]
    }

    $nc close
}
