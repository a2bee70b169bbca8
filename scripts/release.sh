#!/usr/bin/env bash
# Tags a release: checks the tree, the bundle and the changelog, creates the annotated tag
# vX.Y.Z and moves the major tag (v1 for v1.4.2) to the same commit. Pushes nothing unless
# --push is given; otherwise it prints the commands to push. See CONTRIBUTING.md.
#
#   scripts/release.sh v1.2.3 [--push]
set -euo pipefail
cd "$(dirname "$0")/.."

usage() {
  echo "Usage: scripts/release.sh vX.Y.Z [--push]" >&2
  exit 2
}
fail() {
  echo "release: $*" >&2
  exit 1
}

version=''
push=false
for arg in "$@"; do
  case "$arg" in
    --push) push=true ;;
    -h | --help) usage ;;
    -*)
      echo "release: unknown option '$arg'" >&2
      usage
      ;;
    *)
      [ -z "$version" ] || usage
      version="$arg"
      ;;
  esac
done
[ -n "$version" ] || usage

semver='^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$'
[[ "$version" =~ $semver ]] || fail "'$version' is not a version of the form vX.Y.Z (for example v1.2.3)."
major="v${BASH_REMATCH[1]}"
number="${version#v}"

# 1. Only committed work is released.
if [ -n "$(git status --porcelain)" ]; then
  git status --short >&2
  fail 'the working tree is not clean: commit or stash these changes first.'
fi
commit="$(git rev-parse HEAD)"
# A tag left by an earlier run on this very commit (a run without --push) is kept, so that
# running again with --push pushes it; a tag on another commit is an error.
tagged="$(git rev-parse -q --verify "refs/tags/$version^{commit}" || true)"
if [ -n "$tagged" ] && [ "$tagged" != "$commit" ]; then
  fail "tag $version already exists on another commit ($tagged)."
fi
previous="$(git rev-parse -q --verify "refs/tags/$major^{commit}" || true)"
if [ -n "$previous" ] && ! git merge-base --is-ancestor "$previous" "$commit"; then
  fail "$major points at $(git rev-parse --short "$previous"), which is not in this commit's history (a newer release?): $major only moves forward."
fi

# 2. package.json and CHANGELOG.md name this version.
package_version="$(npm pkg get version | tr -d '"')"
[ "$package_version" = "$number" ] ||
  fail "package.json has version $package_version: run 'npm version $number --no-git-tag-version --allow-same-version' and commit."
heading="$(grep -E "^## \[${number//./\\.}\]" CHANGELOG.md | head -n 1 || true)"
[ -n "$heading" ] || fail "CHANGELOG.md has no '## [$number] - YYYY-MM-DD' entry: move the Unreleased notes under one."
dated=' - [0-9]{4}-[0-9]{2}-[0-9]{2}$'
[[ "$heading" =~ $dated ]] ||
  fail "CHANGELOG.md's entry '$heading' has no release date: write it as '## [$number] - YYYY-MM-DD'."

# 3. dist/ is exactly what `npm run build` makes from this commit.
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
echo "── npm run build"
npm run build >"$build_log" 2>&1 || {
  cat "$build_log" >&2
  fail 'npm run build failed.'
}
if [ -n "$(git status --porcelain -- dist)" ]; then
  git status --short -- dist >&2
  fail "dist/ is stale: commit the rebuilt dist/ (it is now in your working tree) and run this again."
fi
echo "dist/ is fresh."

# 4. Tag, and move the major tag to the same commit (not to the tag object).
if [ -n "$tagged" ]; then
  echo "Tag $version is already on this commit (an earlier run): keeping it."
else
  git tag -a "$version" -m "$version" "$commit"
fi
git tag -f -a "$major" -m "$major: latest $major.x.y release, now $version" "$commit" >/dev/null
echo "Tagged $version and moved $major to $(git rev-parse --short "$commit")."

remote=origin
if $push; then
  git push "$remote" "refs/tags/$version"
  git push --force "$remote" "refs/tags/$major"
  echo "Pushed. Now create the GitHub release for $version (tick 'Publish this Action to the GitHub Marketplace')."
else
  cat <<EOF
Nothing was pushed. Check the tags, then push them:

  git push $remote refs/tags/$version
  git push --force $remote refs/tags/$major

Or run this script again with --push. To undo the local tags instead:

  git tag -d $version
  ${previous:+git tag -f -a $major -m $major $previous}${previous:-git tag -d $major}
EOF
fi
