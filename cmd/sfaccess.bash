# bash completion for sfaccess: commands, their subcommands, their options
# and the values of the options that take a fixed set.  Installed by
# `cmake --install` into bash-completion's completions directory; to try it
# from the sources: `source cmd/sfaccess.bash`.
# tests/integration/test_completion.sh fails when an option of
# `sfaccess CMD --help` is not offered here.

_sfaccess_global="--store --config -q --quiet -v --verbose --no-progress
  --version --help"
_sfaccess_connection="--domain --auth --username --password-file --client-id
  --credentials --jwt-key --jwt-subject --api-version --ca-bundle"

# The options of one command (and subcommand), global ones included.
_sfaccess_options()
{
	local cmd=$1 sub=$2 opts=""
	case $cmd in
	sync)
		opts="--username-as-email --sync-connected-apps
		  --no-sync-deactivated-users --sync-non-standard-licenses
		  --sync-territories --sync-entitlements --login-history
		  --no-login-history --login-history-days --no-sync-permissions
		  --sync-field-permissions --max-connections --bulk-threshold
		  --bulk-page-size --max-api-requests --max-api-percent
		  $_sfaccess_connection" ;;
	snapshots) opts="--format --verbose" ;;
	show) opts="--snapshot --type --user --format --provenance" ;;
	diff) opts="--from --to --format --exit-code --allow-incomplete" ;;
	report)
		case $sub in
		access) opts="--snapshot --allow-incomplete --format --out
		  --force --sign-key" ;;
		changes) opts="--from --to --allow-incomplete --format --out
		  --force --approved --fail-on-changes --sign-key" ;;
		permissions) opts="--privileged --all --object --snapshot
		  --format --out --force --sign-key" ;;
		evidence) opts="--out --from --to --sign-key --force" ;;
		esac ;;
	login) opts="--domain --client-id --credentials --timeout --no-browser
		  --ca-bundle --auth" ;;
	action) opts="--resource-id --is-active $_sfaccess_connection" ;;
	verify) opts="--pubkey --store" ;;
	gc) opts="--keep" ;;
	plan) opts="--review --campaign --revert-to --findings -o --out" ;;
	apply) opts="--dry-run --yes --recheck --sha256 --junit
		  --license-profile $_sfaccess_connection" ;;
	review)
		case $sub in
		start) opts="--snapshot --by --name --due --csv
		  --privileged-only --access-type --changed-since
		  --include-inherited --out" ;;
		status) opts="--format" ;;
		close) opts="--out" ;;
		esac ;;
	check) opts="--snapshot --policy --hr-file --format --out
		  --fail-on" ;;
	who-can) opts="--snapshot --format" ;;
	permissions) opts="--object --snapshot --format" ;;
	esac
	echo "$opts $_sfaccess_global"
}

_sfaccess()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local commands="sync snapshots show diff report login action verify gc
	  plan apply review check who-can permissions help"
	local cmd="" sub="" i w

	# The command is the first word that is neither an option nor the
	# value of --store or --config; the subcommand is the word after it.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		--store | --config) ((i++)) ;;
		-*) ;;
		*)
			if [[ -z $cmd ]]; then
				cmd=$w
			elif [[ -z $sub ]]; then
				sub=$w
				break
			fi ;;
		esac
	done

	case $prev in
	--store | --config | --password-file | --credentials | --jwt-key | \
	--ca-bundle | --policy | --hr-file | --approved | --review | \
	--findings | --junit | --sign-key | --pubkey)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--out | -o)
		if [[ $cmd == plan ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		else
			COMPREPLY=($(compgen -d -- "$cur"))
		fi
		return ;;
	--auth)
		COMPREPLY=($(compgen -W "password oauth client-credentials jwt" \
			-- "$cur"))
		return ;;
	--format)
		local formats="table csv json"
		case $cmd in
		report) formats="csv html junit json all" ;;
		check) formats="table csv json junit html" ;;
		esac
		COMPREPLY=($(compgen -W "$formats" -- "$cur"))
		return ;;
	--by)
		COMPREPLY=($(compgen -W "manager owner" -- "$cur"))
		return ;;
	--fail-on)
		COMPREPLY=($(compgen -W "info low medium high critical" \
			-- "$cur"))
		return ;;
	--is-active)
		COMPREPLY=($(compgen -W "true false" -- "$cur"))
		return ;;
	--type)
		COMPREPLY=($(compgen -W "user profile role group queue
		  permission_set permission_set_group connected_app license
		  territory permission_set_license package_license
		  custom_permission" -- "$cur"))
		return ;;
	--domain | --username | --client-id | --jwt-subject | --api-version | \
	--snapshot | --from | --to | --user | --object | --keep | --sha256 | \
	--name | --due | --access-type | --changed-since | --campaign | \
	--revert-to | --resource-id | --license-profile | --timeout | \
	--login-history-days | --max-connections | --bulk-threshold | \
	--bulk-page-size | --max-api-requests | --max-api-percent)
		return ;;
	esac

	if [[ -z $cmd ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_sfaccess_global" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
		fi
		return
	fi
	if [[ -z $sub && $cur != -* ]]; then
		case $cmd in
		report)
			COMPREPLY=($(compgen -W "access changes permissions
			  evidence" -- "$cur"))
			return ;;
		review)
			COMPREPLY=($(compgen -W "start collect status close" \
				-- "$cur"))
			return ;;
		action)
			COMPREPLY=($(compgen -W "update_user_status" -- "$cur"))
			return ;;
		help)
			COMPREPLY=($(compgen -W "$commands" -- "$cur"))
			return ;;
		esac
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_sfaccess_options "$cmd" "$sub")" \
			-- "$cur"))
		return
	fi
	# Positional arguments are files: a change file, returned workbooks,
	# a report directory.
	COMPREPLY=($(compgen -f -- "$cur"))
}

complete -o filenames -F _sfaccess sfaccess
