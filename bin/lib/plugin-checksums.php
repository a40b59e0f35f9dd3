<?php
/**
 * Checks an unpacked plugin against wordpress.org's published checksums
 * (https://downloads.wordpress.org/plugin-checksums/<slug>/<version>.json): every file listed is
 * there with one of the SHA-256 sums published for it, and no file is there that is not listed.
 *
 *   php bin/lib/plugin-checksums.php CHECKSUMS.json PLUGIN_DIR
 *
 * Exits 0 when the folder is exactly what wordpress.org published; else names the first files that
 * differ (at most 10) and exits 1.
 *
 * @package Omnistock
 */

if ( 3 !== $argc ) {
	fwrite( STDERR, "usage: php plugin-checksums.php CHECKSUMS.json PLUGIN_DIR\n" );
	exit( 2 );
}
list( , $sums_file, $dir ) = $argv;

$published = json_decode( (string) file_get_contents( $sums_file ), true );
if ( ! is_array( $published ) || ! isset( $published['files'] ) || ! is_array( $published['files'] ) ) {
	fwrite( STDERR, "$sums_file is not a plugin-checksums answer (no \"files\" object)\n" );
	exit( 1 );
}

$problems = array();
foreach ( $published['files'] as $path => $sums ) {
	$file = $dir . '/' . $path;
	if ( ! is_file( $file ) ) {
		$problems[] = "missing: $path";
		continue;
	}
	// A file changed between the tag and the zip is published with several sums (a list).
	$allowed = isset( $sums['sha256'] ) ? (array) $sums['sha256'] : array();
	if ( ! in_array( hash_file( 'sha256', $file ), $allowed, true ) ) {
		$problems[] = "differs: $path";
	}
}

$iterator = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $dir, FilesystemIterator::SKIP_DOTS ) );
foreach ( $iterator as $found ) {
	$path = substr( $found->getPathname(), strlen( $dir ) + 1 );
	if ( ! isset( $published['files'][ $path ] ) ) {
		$problems[] = "not published: $path";
	}
}

if ( $problems ) {
	fwrite( STDERR, count( $problems ) . " file(s) not as published, e.g.:\n  " . implode( "\n  ", array_slice( $problems, 0, 10 ) ) . "\n" );
	exit( 1 );
}
echo count( $published['files'] ) . " files match the published checksums\n";
