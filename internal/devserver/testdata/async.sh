#!/bin/sh
# An asynchronous connector for the page's tests: query starts a job that
# the first request-status finds in progress and the second complete, and
# whose result is a file written under temp_store.
cmd=$1; shift
persist=
while [ $# -gt 0 ]; do
	case $1 in
	-p|--persist_conf) persist=$2 ;;
	esac
	shift 2
done
store() { sed -n 's/.*"temp_store":"\([^"]*\)".*/\1/p' "$persist"; }
handle='{"schema_name":"events","schema_group":"mixpanel","request_type":"QUERY","data":{"job":"j1"}}'
case $cmd in
spec)
	echo '{"type":"SPEC","spec":{"spec":{"type":"object","properties":{"token":{"type":"string","title":"Project Token","secret":true}}}}}' ;;
validate)
	echo '{"type":"VALIDATE","validate_msg":{"status":"SUCCESS"}}' ;;
schema)
	echo '{"type":"SCHEMA","schema_msg":{"schemas":[{"name":"events","group":"mixpanel","json_schema":{"type":"object","properties":{"distinct_id":{"type":"string"}}}}]}}' ;;
query)
	echo '{"type":"LOG","log":{"message":"export job j1 started"}}' >&2
	echo '{"type":"REQUEST_RESULT","request":{"status":{"schema_name":"events","schema_group":"mixpanel","request_status":"PROGRESS"},"handle":'"$handle"'}}' ;;
request-status)
	dir=$(store)
	if [ -e "$dir/polled" ]; then state=COMPLETE; else state=PROGRESS; touch "$dir/polled"; fi
	echo '{"type":"REQUEST_STATUS","request_status":{"schema_name":"events","schema_group":"mixpanel","request_status":"'$state'","data_type":"FILE"}}' ;;
request-results)
	dir=$(store)
	echo 'distinct_id,event' > "$dir/export.csv"
	echo 'not a message'
	echo '{"type":"RECORD","record":{"record_type":"FILE","schema_name":"events","schema_group":"mixpanel","file":"'"$dir/export.csv"'"}}' ;;
*)
	exit 2 ;;
esac
