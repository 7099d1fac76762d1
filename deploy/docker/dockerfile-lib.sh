# shellcheck shell=bash disable=SC2034 # DF_* variables are what this file and check-build.sh share
# Sourced by check-build.sh: reads a Dockerfile and carries out its instructions the way a container engine would,
# each stage in its own root (an overlay over this machine's root, which has the .NET SDK and runtime the stages'
# base images would bring). Only the instructions and forms the gateway's Dockerfile uses are understood; anything
# else stops the check with its line, so the Dockerfile cannot grow a step this check silently skips.

# State shared by the functions below and read by check-build.sh (DF_USER, DF_ENTRYPOINT, ...).
declare -gA DF_ROOTS=() DF_VARS=() DF_GLOBAL_ARGS=() DF_BUILD_ARGS=()

df_fail() {
  echo "check-build: $*" >&2
  exit 1
}

# The Dockerfile as a list of instructions: continuation lines joined, comment and blank lines dropped (also inside
# a continued instruction, as Docker does).
df_parse() {
  local file=$1 raw joined=""
  DF_INSTRUCTIONS=()
  while IFS= read -r raw || [[ -n $raw ]]; do
    raw=${raw%$'\r'}
    [[ $raw =~ ^[[:space:]]*(#|$) ]] && continue
    if [[ $raw =~ ^(.*)\\[[:space:]]*$ ]]; then
      joined+="${BASH_REMATCH[1]}"
      continue
    fi
    joined+=$raw
    joined=${joined#"${joined%%[![:space:]]*}"}
    DF_INSTRUCTIONS+=("$joined")
    joined=""
  done <"$file"
  [[ -z $joined ]] || df_fail "the Dockerfile ends inside a continued line"
}

# The build context: DIR's files less those .dockerignore excludes (Go's filepath.Match patterns plus "**", the last
# matching pattern deciding, "!" re-including), copied to DEST as Docker would send them.
df_context() {
  local src=$1 dest=$2 line neg re i
  DF_IGNORE_RE=()
  DF_IGNORE_NEG=()
  if [[ -f $src/.dockerignore ]]; then
    while IFS= read -r line || [[ -n $line ]]; do
      line=${line%$'\r'}
      [[ $line =~ ^[[:space:]]*(#|$) ]] && continue
      neg=0
      [[ $line == !* ]] && neg=1 && line=${line#!}
      line=$(realpath -m --relative-to=/ "/$line")
      re=""
      i=0
      while ((i < ${#line})); do
        if [[ ${line:i:3} == '**/' ]]; then re+='(.*/)?' i=$((i + 3)) && continue; fi
        if [[ ${line:i:2} == '**' ]]; then re+='.*' i=$((i + 2)) && continue; fi
        case ${line:i:1} in
          '*') re+='[^/]*' ;;
          '?') re+='[^/]' ;;
          [.+\(\)\|^\$\{\}]) re+="\\${line:i:1}" ;;
          *) re+=${line:i:1} ;;
        esac
        i=$((i + 1))
      done
      DF_IGNORE_RE+=("^$re(/.*)?$")
      DF_IGNORE_NEG+=("$neg")
    done <"$src/.dockerignore"
  fi
  mkdir -p "$dest"
  df_context_copy "$src" "$dest" ""
}

df_ignored() {
  local i ignored=1
  for i in "${!DF_IGNORE_RE[@]}"; do
    [[ $1 =~ ${DF_IGNORE_RE[i]} ]] && ignored=${DF_IGNORE_NEG[i]}
  done
  return "$ignored"
}

df_context_copy() (
  shopt -s nullglob dotglob
  local src=$1 dest=$2 rel=$3 entry name
  for entry in "$src/$rel"*; do
    name=${entry#"$src/"}
    if [[ -d $entry && ! -L $entry ]]; then
      # An excluded folder is skipped whole unless a "!" pattern may take something inside back.
      if df_ignored "$name" && [[ " ${DF_IGNORE_NEG[*]} " != *" 1 "* ]]; then continue; fi
      mkdir -p "$dest/$name"
      df_context_copy "$src" "$dest" "$name/"
    elif ! df_ignored "$name"; then
      cp -P --preserve=mode,timestamps "$entry" "$dest/$name"
    fi
  done
)

# Docker's variable substitution ($NAME, ${NAME}) for instructions other than RUN, from ARG and ENV values.
df_expand() {
  local rest=$1 out=""
  while [[ $rest =~ ^([^\$]*)\$(\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))(.*)$ ]]; do
    local name=${BASH_REMATCH[3]:-${BASH_REMATCH[4]}}
    out+="${BASH_REMATCH[1]}${DF_VARS[$name]-}"
    rest=${BASH_REMATCH[5]}
  done
  [[ $rest != *\$* ]] || df_fail "unsupported variable substitution in: $1"
  printf '%s' "$out$rest"
}

# Words of an instruction's arguments, with shell-like quotes (ENV values, ARG defaults).
df_words() {
  local -n words_out=$2
  words_out=()
  [[ -n $1 ]] || return 0
  # shellcheck disable=SC2034 # words_out names the caller's array
  mapfile -t words_out < <(printf '%s' "$1" | xargs -n 1 printf '%s\n')
}

# The environment a stage's base image brings. The official .NET images set these; the machine's own root stands in
# for their files. Telemetry stays off and the machine's NuGet and proxy settings apply, as build args would.
df_base_env() {
  local image=$1
  DF_ENV=(
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root APP_UID=1654
    DOTNET_RUNNING_IN_CONTAINER=true ASPNETCORE_HTTP_PORTS=8080 DOTNET_CLI_TELEMETRY_OPTOUT=1
  )
  [[ $image == */sdk:* ]] && DF_ENV+=(DOTNET_NOLOGO=true NUGET_XMLDOC_MODE=skip)
  local name
  for name in NUGET_CERT_REVOCATION_MODE http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [[ -n ${!name:-} ]] && DF_ENV+=("$name=${!name}")
  done
  return 0
}

# FROM IMAGE [AS NAME]: a new root. Only the .NET SDK and ASP.NET Core images, at the version installed here.
df_from() {
  local words expanded
  expanded=$(df_expand "$1")
  read -ra words <<<"$expanded"
  [[ ${#words[@]} -eq 1 || (${#words[@]} -eq 3 && ${words[1]^^} == AS) ]] || df_fail "unsupported FROM: $1"
  local image=${words[0]} version=${words[0]##*:}
  case $image in
    mcr.microsoft.com/dotnet/sdk:*)
      dotnet --list-sdks | grep -q "^${version//./\\.}\." || df_fail "FROM $image: no .NET SDK $version on this machine" ;;
    mcr.microsoft.com/dotnet/aspnet:*)
      dotnet --list-runtimes | grep -q "^Microsoft\.AspNetCore\.App ${version//./\\.}\." \
        || df_fail "FROM $image: no ASP.NET Core runtime $version on this machine" ;;
    *) df_fail "FROM $image: only the .NET SDK and ASP.NET Core base images can be stood in for here" ;;
  esac
  DF_STAGE=$((DF_STAGE + 1))
  DF_STAGE_NAME=${words[2]:-$DF_STAGE}
  DF_ROOT="$DF_LAYERS/stage$DF_STAGE/root"
  mkdir -p "$DF_LAYERS/stage$DF_STAGE/upper" "$DF_LAYERS/stage$DF_STAGE/work" "$DF_ROOT"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$DF_LAYERS/stage$DF_STAGE/upper,workdir=$DF_LAYERS/stage$DF_STAGE/work" "$DF_ROOT"
  # The base images' /root is empty: no NuGet cache or config of this machine's may help the build along (a
  # package the restore did not ask for, but that an earlier build left in the cache, would hide a broken restore).
  mkdir -m 700 "$DF_LAYERS/stage$DF_STAGE/root-home"
  mount --bind "$DF_LAYERS/stage$DF_STAGE/root-home" "$DF_ROOT/root"
  DF_ROOTS[$DF_STAGE_NAME]=$DF_ROOT
  DF_WORKDIR=/
  DF_USER=0
  DF_ENTRYPOINT='[]'
  DF_CMD='[]'
  df_base_env "$image"
  DF_VARS=()
  local kv
  for kv in "${DF_ENV[@]}"; do DF_VARS[${kv%%=*}]=${kv#*=}; done
  echo "check-build: stage $DF_STAGE_NAME from $image (this machine's root)"
}

df_arg() {
  local words w name value
  df_words "$1" words
  for w in "${words[@]}"; do
    name=${w%%=*}
    if [[ -v "DF_BUILD_ARGS[$name]" ]]; then
      value=${DF_BUILD_ARGS[$name]}
    elif [[ $w == *=* ]]; then
      value=$(df_expand "${w#*=}")
    elif [[ -v "DF_GLOBAL_ARGS[$name]" ]]; then
      value=${DF_GLOBAL_ARGS[$name]}
    else
      continue
    fi
    if ((DF_STAGE == 0)); then
      DF_GLOBAL_ARGS[$name]=$value
    else
      DF_VARS[$name]=$value
      DF_RUN_ARGS+=("$name=$value")
    fi
  done
}

df_env() {
  local words w expanded
  expanded=$(df_expand "$1")
  df_words "$expanded" words
  if [[ ${#words[@]} -ge 2 && ${words[0]} != *=* ]]; then words=("${words[0]}=${words[*]:1}"); fi
  for w in "${words[@]}"; do
    [[ $w == *=* ]] || df_fail "unsupported ENV: $1"
    DF_VARS[${w%%=*}]=${w#*=}
    DF_ENV+=("$w")
  done
}

df_workdir() {
  local dir
  dir=$(df_expand "$1")
  [[ $dir == /* ]] || dir="${DF_WORKDIR%/}/$dir"
  DF_WORKDIR=$(realpath -m "$dir")
  mkdir -p "$DF_ROOT$DF_WORKDIR"
}

# COPY [--from=STAGE] SRC... DEST: a directory source copies its content, as Docker does.
df_copy() {
  local words from="" srcroot=$DF_CONTEXT expanded
  expanded=$(df_expand "$1")
  read -ra words <<<"$expanded"
  while [[ ${words[0]} == --* ]]; do
    [[ ${words[0]} == --from=* ]] || df_fail "unsupported COPY option ${words[0]}"
    from=${words[0]#--from=}
    [[ -v "DF_ROOTS[$from]" ]] || df_fail "COPY --from=$from: no earlier stage of that name"
    srcroot=${DF_ROOTS[$from]}
    words=("${words[@]:1}")
  done
  [[ ${#words[@]} -ge 2 ]] || df_fail "unsupported COPY: $1"
  local dest=${words[-1]} sources=("${words[@]:0:${#words[@]}-1}") into_dir=0 pattern match
  [[ $dest == /* ]] || dest="${DF_WORKDIR%/}/$dest"
  [[ $dest == */ || $dest == */. || $dest == . || ${#sources[@]} -gt 1 || -d $DF_ROOT$dest ]] && into_dir=1
  dest=$DF_ROOT$(realpath -m "$dest")
  for pattern in "${sources[@]}"; do
    local matches=()
    mapfile -t matches < <(cd "$srcroot" && shopt -s nullglob dotglob && for m in ${pattern#/}; do printf '%s\n' "$m"; done)
    [[ ${#matches[@]} -gt 0 ]] || df_fail "COPY $pattern: nothing matches in the ${from:-build context}"
    for match in "${matches[@]}"; do
      [[ -e $srcroot/$match ]] || df_fail "COPY $pattern: no such file in the ${from:-build context}"
      if [[ -d $srcroot/$match ]]; then
        mkdir -p "$dest" && cp -R --preserve=mode,timestamps "$srcroot/$match/." "$dest/"
      elif ((into_dir)); then
        mkdir -p "$dest" && cp --preserve=mode,timestamps "$srcroot/$match" "$dest/"
      else
        mkdir -p "$(dirname "$dest")" && cp --preserve=mode,timestamps "$srcroot/$match" "$dest"
      fi
    done
  done
}

# RUN COMMAND (shell form): /bin/sh -c in the stage's root, working directory and environment, in its own PID
# namespace so anything it leaves running (build servers) ends with it, as in a container.
df_run() {
  [[ $1 != \[* && $1 != --* ]] || df_fail "unsupported RUN form: $1"
  echo "check-build: RUN $1"
  mount --rbind /dev "$DF_ROOT/dev" && mount --rbind /proc "$DF_ROOT/proc" && mount --rbind /sys "$DF_ROOT/sys"
  mount -t tmpfs -o mode=1777 tmpfs "$DF_ROOT/tmp"
  local status=0
  unshare --pid --fork --kill-child chroot "$DF_ROOT" env -i --chdir="$DF_WORKDIR" "${DF_RUN_ARGS[@]}" "${DF_ENV[@]}" \
    /bin/sh -c "$1" || status=$?
  umount -R "$DF_ROOT/dev" "$DF_ROOT/proc" "$DF_ROOT/sys" "$DF_ROOT/tmp"
  ((status == 0)) || df_fail "RUN failed (exit $status): $1"
}

# Carries out every instruction of the Dockerfile, stage after stage. Afterwards DF_ROOT, DF_WORKDIR, DF_ENV,
# DF_USER, DF_ENTRYPOINT and DF_CMD describe the last stage: the image.
df_build() {
  local instruction keyword args
  DF_STAGE=0
  for instruction in "${DF_INSTRUCTIONS[@]}"; do
    keyword=${instruction%%[[:space:]]*}
    keyword=${keyword^^}
    args=${instruction#*[[:space:]]}
    args=${args#"${args%%[![:space:]]*}"}
    [[ $keyword == FROM || $keyword == ARG || DF_STAGE -gt 0 ]] || df_fail "$keyword before the first FROM"
    case $keyword in
      FROM) DF_RUN_ARGS=() && df_from "$args" ;;
      ARG) df_arg "$args" ;;
      ENV) df_env "$args" ;;
      WORKDIR) df_workdir "$args" ;;
      COPY) df_copy "$args" ;;
      RUN) df_run "$args" ;;
      USER) DF_USER=$(df_expand "$args") ;;
      ENTRYPOINT) DF_ENTRYPOINT=$args ;;
      CMD) DF_CMD=$args ;;
      EXPOSE | LABEL) ;;
      *) df_fail "unsupported instruction: $instruction" ;;
    esac
  done
  if ! jq -e 'type == "array"' <<<"$DF_ENTRYPOINT" >/dev/null || ! jq -e 'type == "array"' <<<"$DF_CMD" >/dev/null; then
    df_fail "ENTRYPOINT and CMD must use the exec (JSON array) form"
  fi
}
