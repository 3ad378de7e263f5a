# tests/unit/info.tcl: INFO sections and the fields dashboards read.
#
# Checks which sections each INFO form returns, the presence and shape of
# the commonly scraped fields, command and error statistics, and that
# CONFIG RESETSTAT clears them. Counters are compared right after
# CONFIG RESETSTAT on a server no other client talks to.

start_server {tags {info}} {
    test "INFO without arguments returns the default sections" {
        set sections [info_sections [r info]]
        foreach name {Server Clients Memory Stats CPU Errorstats} {
            assert {$name in $sections} "section $name missing from INFO: $sections"
        }
        assert {"Commandstats" ni $sections} "INFO default must not include Commandstats"
    }

    test "INFO default is the same set of sections as INFO" {
        assert_equal [info_sections [r info]] [info_sections [r info default]]
    }

    test "INFO all adds Commandstats to the default sections" {
        set sections [info_sections [r info all]]
        foreach name {Server Clients Memory Stats CPU Commandstats Errorstats} {
            assert {$name in $sections} "section $name missing from INFO all: $sections"
        }
    }

    test "INFO everything includes every section of INFO all" {
        set everything [info_sections [r info everything]]
        foreach name [info_sections [r info all]] {
            assert {$name in $everything} "section $name missing from INFO everything"
        }
    }

    test "INFO with one section name returns only that section" {
        assert_equal {Server} [info_sections [r info server]]
        assert_equal {Commandstats} [info_sections [r info commandstats]]
    }

    test "INFO with several section names returns just those" {
        set sections [info_sections [r info server clients]]
        assert_equal {Server Clients} $sections
    }

    test "INFO section names are case-insensitive" {
        assert_equal {Server} [info_sections [r info SERVER]]
    }

    test "INFO with an unknown section returns an empty reply" {
        assert_equal "" [r info no-such-section]
    }

    test "INFO lines end with CRLF" {
        set info [r info server]
        assert_match "# Server\r\n*" $info
        assert_match "*redis_version:*\r\n*" $info
    }

    test "INFO server reports redis_version, tcp_port and process_id" {
        set info [r info server]
        assert_match {[0-9]*.[0-9]*.[0-9]*} [info_field $info redis_version]
        assert_equal [srv port] [info_field $info tcp_port]
        assert_equal [srv pid] [info_field $info process_id]
        assert [string is integer -strict [info_field $info uptime_in_seconds]]
    } {tls:skip}

    test "INFO clients counts connected clients as they come and go" {
        set before [info_field [r info clients] connected_clients]
        set c [keel_client]
        $c ping
        assert_equal [expr {$before + 1}] [info_field [r info clients] connected_clients]
        $c close
        wait_for_condition 100 10 {
            [info_field [r info clients] connected_clients] == $before
        } else {
            fail "connected_clients did not return to $before"
        }
    }

    test "INFO memory has the fields dashboards read" {
        set info [r info memory]
        foreach name {used_memory used_memory_rss used_memory_peak} {
            assert [string is entier -strict [info_field $info $name]] "$name is not an integer"
            assert_morethan [info_field $info $name] 0 $name
        }
        assert [string is double -strict [info_field $info mem_fragmentation_ratio]]
        assert_not_equal "" [info_field $info mem_allocator]
        assert {[info_field $info used_memory_peak] >= [info_field $info used_memory]} \
            "used_memory_peak is below used_memory"
    }

    test "INFO stats counts each processed command once" {
        r config resetstat
        set before [info_field [r info stats] total_commands_processed]
        r ping
        set after [info_field [r info stats] total_commands_processed]
        # The first INFO and the PING; an INFO does not count itself.
        assert_equal [expr {$before + 2}] $after
    }

    test "INFO commandstats counts calls per command" {
        r config resetstat
        r ping
        r ping
        r echo x
        set info [r info commandstats]
        assert_equal 2 [info_subfield $info cmdstat_ping calls]
        assert_equal 1 [info_subfield $info cmdstat_echo calls]
        assert_match "calls=2,usec=*,usec_per_call=*,rejected_calls=0,failed_calls=0" \
            [info_field $info cmdstat_ping]
    }

    test "INFO commandstats names subcommands command|subcommand" {
        r config resetstat
        r client id
        assert_equal 1 [info_subfield [r info commandstats] cmdstat_client|id calls]
    }

    test "INFO commandstats counts arity errors as rejected calls" {
        r config resetstat
        catch {r echo}
        set info [r info commandstats]
        assert_equal 0 [info_subfield $info cmdstat_echo calls]
        assert_equal 1 [info_subfield $info cmdstat_echo rejected_calls]
    }

    test "INFO commandstats counts errors replied by a command as failed calls" {
        r config resetstat
        catch {r config set maxclients abc}
        set info [r info commandstats]
        assert_equal 1 [info_subfield $info cmdstat_config|set calls]
        assert_equal 1 [info_subfield $info cmdstat_config|set failed_calls]
    }

    test "INFO commandstats has no line for unknown commands" {
        r config resetstat
        catch {r nosuchcommand}
        assert_no_match "*nosuchcommand*" [r info commandstats]
    }

    test "INFO errorstats counts error replies by their prefix" {
        r config resetstat
        catch {r nosuchcommand}
        catch {r echo}
        catch {r hello 9}
        set info [r info errorstats]
        assert_equal "count=2" [info_field $info errorstat_ERR]
        assert_equal "count=1" [info_field $info errorstat_NOPROTO]
        assert_equal 3 [info_field [r info stats] total_error_replies]
    }

    test "CONFIG RESETSTAT clears command, error and processed counters" {
        r ping
        catch {r nosuchcommand}
        assert_equal OK [r config resetstat]
        set stats [r info stats]
        # CONFIG RESETSTAT itself is counted after the reset.
        assert_equal 1 [info_field $stats total_commands_processed]
        assert_equal 0 [info_field $stats total_error_replies]
        set info [r info commandstats]
        assert_equal "" [info_field $info cmdstat_ping]
        assert_equal 1 [info_subfield $info cmdstat_config|resetstat calls]
        assert_no_match "*errorstat_*" [r info errorstats]
    }

    test "CONFIG RESETSTAT with an argument is an arity error" {
        assert_error "ERR wrong number of arguments for 'config|resetstat' command" \
            {r config resetstat now}
    }
}
