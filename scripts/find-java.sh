# Sourced by ./refusalscope and ./run-tests: sets JAVA (a java 21+ binary) and JAVA_HOME, or explains what to
# install. Eclipse 4.38 bundles, SWTChart 1.1.0 and Tycho 5 need Java 21 or newer.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }

find_java() {
	local candidates=()
	[[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
	for dir in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do candidates+=("$dir/bin/java"); done
	command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
	local candidate major
	for candidate in "${candidates[@]}"; do
		[[ -x "$candidate" ]] || continue
		major="$(java_major "$candidate")"
		if [[ "$major" =~ ^[0-9]+$ ]] && (( major >= 21 )); then
			echo "$candidate"
			return 0
		fi
	done
	return 1
}

JAVA="$(find_java)" || {
	echo "refusalscope: no Java 21 or newer found (java on PATH: $(java -version 2>&1 | head -1 || echo none))." >&2
	echo "Install a JDK 21+ (e.g. 'apt-get install openjdk-21-jdk' or Temurin 25) or set JAVA_HOME to one." >&2
	exit 1
}
export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"
