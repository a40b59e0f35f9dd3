<?php
/**
 * Constants PHPStan cannot see defined: WordPress's (wp-config.php, wp-load.php) and the ones a
 * site owner may set for the plugin. Only read by PHPStan (tests/phpstan/phpstan.neon), never run by WordPress.
 */

// phpcs:ignoreFile -- declarations for PHPStan, not plugin code.

define( 'ABSPATH', '/' );
define( 'ARRAY_A', 'ARRAY_A' );
define( 'MINUTE_IN_SECONDS', 60 );
define( 'HOUR_IN_SECONDS', 3600 );
define( 'DAY_IN_SECONDS', 86400 );
define( 'DB_HOST', 'localhost' );
define( 'DB_NAME', 'wordpress' );
