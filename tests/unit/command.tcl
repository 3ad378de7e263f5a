# tests/unit/command.tcl: COMMAND and its subcommands (introspection).
#
# COMMAND COUNT/LIST/INFO/DOCS/GETKEYS: reply shapes, the core commands'
# entries, filters and error replies. Entries of keyspace commands are
# tagged "keyspace". Also MODULE LOAD's refusal when module commands are off.

# The COMMAND INFO entry of one command (a 10-element list, or "").
proc command_entry {name} {
    return [lindex [r command info $name] 0]
}

start_server {tags {command}} {
    test "COMMAND COUNT equals the number of top-level COMMAND LIST names" {
        set count [r command count]
        assert_morethan $count 0
        # COMMAND LIST also names subcommands (config|get); COUNT does not.
        assert_equal $count [llength [lsearch -all -inline -not [r command list] *|*]]
    }

    test "COMMAND LIST names subcommands as command|subcommand" {
        set names [r command list]
        foreach name {config|get config|set client|id client|kill command|info} {
            assert {$name in $names} "$name missing from COMMAND LIST"
        }
    }

    test "COMMAND without arguments returns one entry per command" {
        assert_equal [r command count] [llength [r command]]
    }

    test "COMMAND LIST includes every core command" {
        set names [r command list]
        foreach name {ping echo quit time info shutdown debug auth hello client command config module} {
            assert {$name in $names} "$name missing from COMMAND LIST"
        }
    }

    test "COMMAND LIST names are lowercase and unique" {
        set names [r command list]
        assert_equal [llength $names] [llength [lsort -unique $names]]
        foreach name $names {
            assert_equal [string tolower $name] $name
        }
    }

    test "COMMAND LIST FILTERBY PATTERN returns the matching names" {
        assert_equal {ping} [r command list filterby pattern p?ng]
        assert_equal {} [r command list filterby pattern no-such-*]
    }

    test "COMMAND LIST FILTERBY ACLCAT returns commands of that category" {
        set names [r command list filterby aclcat connection]
        foreach name {ping echo hello auth} {
            assert {$name in $names} "$name missing from the connection category"
        }
    }

    test "COMMAND LIST FILTERBY MODULE of an unknown module is empty" {
        assert_equal {} [r command list filterby module no-such-module]
    }

    test "COMMAND LIST FILTERBY with an unknown filter is a syntax error" {
        assert_error "ERR syntax error" {r command list filterby foo x}
        assert_error "ERR syntax error" {r command list filterby pattern}
        assert_error "ERR syntax error" {r command list foo}
    }

    test "COMMAND INFO ping describes arity, flags, keys and categories" {
        set entry [command_entry ping]
        assert_equal 10 [llength $entry]
        assert_equal {ping -1 fast 0 0 0} [lrange $entry 0 5]
        assert {"@connection" in [lindex $entry 6]} "ping categories: [lindex $entry 6]"
        assert {"@fast" in [lindex $entry 6]} "ping categories: [lindex $entry 6]"
        assert_equal {} [lindex $entry 8]
        assert_equal {} [lindex $entry 9]
    }

    test "COMMAND INFO echo and time report their fixed arity" {
        assert_equal {echo 2} [lrange [command_entry echo] 0 1]
        assert_equal {time 1} [lrange [command_entry time] 0 1]
    }

    test "COMMAND INFO get reports one key at position 1" {
        set entry [command_entry get]
        assert_equal {get 2 {readonly fast} 1 1 1} [lrange $entry 0 5]
        assert_equal {{flags {RO access} begin_search {type index spec {index 1}}\
            find_keys {type range spec {lastkey 0 keystep 1 limit 0}}}} [lindex $entry 8]
    } {keyspace}

    test "COMMAND INFO with several names keeps their order" {
        set entries [r command info echo ping]
        assert_equal {echo ping} [list [lindex $entries 0 0] [lindex $entries 1 0]]
    }

    test "COMMAND INFO of an unknown command returns a null entry in its place" {
        set entries [r command info no-such-command ping]
        assert_equal 2 [llength $entries]
        assert_equal "" [lindex $entries 0]
        assert_equal ping [lindex $entries 1 0]
        set c [keel_client]
        $c write_raw "COMMAND INFO no-such-command\r\n"
        assert_equal "*1" [$c read_raw_line]
        assert_equal {$-1} [$c read_raw_line]
        $c close
    }

    test "COMMAND INFO names are case-insensitive" {
        assert_equal ping [lindex [command_entry PING] 0]
    }

    test "COMMAND INFO config lists its subcommands as command|subcommand entries" {
        set names {}
        foreach sub [lindex [command_entry config] 9] {
            lappend names [lindex $sub 0]
        }
        foreach name {config|get config|set config|rewrite config|resetstat} {
            assert {$name in $names} "$name missing from config subcommands: $names"
        }
    }

    test "COMMAND INFO of a subcommand uses the command|subcommand name" {
        assert_equal {config|get -3} [lrange [command_entry config|get] 0 1]
    }

    test "COMMAND DOCS ping has summary, since, group and complexity" {
        set docs [r command docs ping]
        assert_equal {ping} [dict keys $docs]
        set doc [dict get $docs ping]
        foreach key {summary since group complexity} {
            assert [dict exists $doc $key] "COMMAND DOCS ping lacks $key"
        }
        assert_equal connection [dict get $doc group]
    }

    test "COMMAND DOCS is framed as a map under RESP3" {
        set c [keel_client -resp 3]
        $c write_raw "COMMAND DOCS ping\r\n"
        assert_equal "%1" [$c read_raw_line]
        $c close
    }

    test "COMMAND DOCS of a container command nests its subcommands" {
        set doc [dict get [r command docs config] config]
        assert [dict exists [dict get $doc subcommands] config|get]
    }

    test "COMMAND DOCS of an unknown command returns an empty map" {
        assert_equal {} [r command docs no-such-command]
    }

    test "COMMAND DOCS without names documents every command" {
        assert_equal [r command count] [llength [dict keys [r command docs]]]
    }

    test "COMMAND GETKEYS of a command without keys is an error" {
        assert_error "ERR The command has no key arguments" {r command getkeys echo x}
        assert_error "ERR The command has no key arguments" {r command getkeys ping x}
    }

    test "COMMAND GETKEYS of an unknown command is an error" {
        assert_error "ERR Invalid command specified" {r command getkeys no-such-command x}
    }

    test "COMMAND GETKEYS needs a command" {
        assert_error "ERR wrong number of arguments for 'command|getkeys' command" {r command getkeys}
    }

    test "COMMAND GETKEYS of a command without keys says so (Valkey 8)" {
        # Redis 7.0 answered this with an arity error; Valkey 8 (arity -3)
        # looks the command up and finds it has no key arguments.
        skip_unless {[catch {r command getkeys ping} e] && $e ne "ERR wrong number of arguments for 'command|getkeys' command"} \
            "Redis 7.0 gives an arity error here"
        assert_error "ERR The command has no key arguments" {r command getkeys ping}
    }

    test "COMMAND GETKEYS returns the key of GET" {
        assert_equal {mykey} [r command getkeys get mykey]
    } {keyspace}

    test "COMMAND GETKEYS with a wrong argument count for the command is an error" {
        assert_error "ERR Invalid number of arguments specified for command" \
            {r command getkeys set mykey}
    } {keyspace}

    test "COMMAND with an unknown subcommand is an error" {
        assert_error "ERR unknown subcommand 'foo'. Try COMMAND HELP." {r command foo}
    }

    test "COMMAND COUNT with an argument is an arity error" {
        assert_error "ERR wrong number of arguments for 'command|count' command" {r command count x}
    }

    test "COMMAND HELP lists the subcommands" {
        set help [join [r command help] \n]
        foreach word {COUNT LIST INFO DOCS GETKEYS} {
            assert_match "*$word*" $help
        }
    }

    test "MODULE LOAD is refused while enable-module-command is off" {
        assert_error "ERR MODULE command not allowed. If the enable-module-command option is set\
            to \"local\", you can run it from a local connection, otherwise you need to set this\
            option in the configuration file, and then restart the server." \
            {r module load /no/such/module.so}
    }

    test "MODULE LIST replies a list even with module commands off" {
        assert [string is list [r module list]]
    }
}
