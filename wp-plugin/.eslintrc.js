/**
 * The JS lint (npm run lint:js): @wordpress/scripts' own configuration. Having it here, rather than
 * none, keeps wp-scripts from passing --no-eslintrc, so tests/browser/.eslintrc.json is read.
 */
module.exports = require( '@wordpress/scripts/config/.eslintrc.js' );
