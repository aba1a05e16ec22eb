# Sourced by the fetch scripts (fetch-debian-source.sh,
# fetch-debian-package.sh): an apt configuration of their own, so that a
# build fetches from the Debian archive without touching the machine's apt
# or dpkg state.
#
#   apt_private_setup DIR deb|deb-src [ARCH]
#
# makes DIR/parts (the machine's own Debian sources, every `deb` entry of
# /etc/apt/sources.list and sources.list.d, as entries of the given type),
# DIR/lists and DIR/cache, and sets $apt_opts for apt-get and apt-cache.
# With ARCH, apt sees that architecture alone and no installed package.
apt_private_setup() {
    _dir=$1 _type=$2 _arch=${3:-}
    mkdir -p "$_dir/parts" "$_dir/lists/partial" "$_dir/cache/archives/partial"
    for _f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$_f" ] && sed -n "s/^Types:.*\\bdeb\\b.*/Types: $_type/p; /^Types:/!p" "$_f" \
            > "$_dir/parts/$(basename "$_f")"
    done
    for _f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$_f" ] && sed -n "s/^deb\\s/$_type /p" "$_f" >> "$_dir/parts/from-lists.list"
    done
    apt_opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$_dir/parts \
      -o Dir::State::Lists=$_dir/lists -o Dir::Cache=$_dir/cache -o APT::Sandbox::User=root -q"
    if [ -n "$_arch" ]; then
        apt_opts="$apt_opts -o Dir::State::Status=/dev/null -o APT::Architecture=$_arch \
          -o APT::Architectures::=$_arch"
    fi
}
