<?php
/**
 * Versioned installer: creates and upgrades the plugin's tables with dbDelta (every table's schema is here).
 *
 * @package Omnistock
 */

namespace Omnistock\Install;

use Omnistock\Inventory\Tables;

defined( 'ABSPATH' ) || exit;

/**
 * Schema of the plugin, upgraded when SCHEMA_VERSION changes.
 */
final class Installer {

	public const SCHEMA_VERSION = Tables::SCHEMA_VERSION;
	public const VERSION_OPTION = Tables::VERSION_OPTION;

	/**
	 * Upgrades on the first request after the plugin's files changed.
	 */
	public static function maybe_upgrade(): void {
		if ( get_option( self::VERSION_OPTION ) !== self::SCHEMA_VERSION ) {
			self::install();
		}
	}

	/**
	 * Creates or upgrades every table and records the schema version.
	 */
	public static function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		dbDelta( self::schema( $wpdb ) );
		\Omnistock\Capabilities::grant();
		\Omnistock\Pos\Role::ensure();
		update_option( self::VERSION_OPTION, self::SCHEMA_VERSION, true );
	}

	/**
	 * The CREATE TABLE statements, in dbDelta's format (one field per line, KEY, two spaces after PRIMARY KEY).
	 *
	 * Quantities are whole units; times are milliseconds since the epoch; event ids compare as bytes.
	 *
	 * @param \wpdb $wpdb The WordPress database.
	 * @return list<string>
	 */
	public static function schema( \wpdb $wpdb ): array {
		$t       = new Tables( $wpdb );
		$collate = $wpdb->get_charset_collate();
		return array(
			"CREATE TABLE {$t->locations} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
name varchar(191) NOT NULL,
address text NOT NULL,
country varchar(2) NOT NULL DEFAULT '',
state varchar(100) NOT NULL DEFAULT '',
postcode varchar(100) NOT NULL DEFAULT '',
city varchar(100) NOT NULL DEFAULT '',
ships_online tinyint(1) NOT NULL DEFAULT 1,
offers_pickup tinyint(1) NOT NULL DEFAULT 0,
offers_curbside tinyint(1) NOT NULL DEFAULT 0,
safety_default int(11) NOT NULL DEFAULT 0,
priority int(11) NOT NULL DEFAULT 10,
opening_hours text NOT NULL,
pickup_hours int(11) NOT NULL DEFAULT 2,
hold_days int(11) NOT NULL DEFAULT 7,
accepts_transfers tinyint(1) NOT NULL DEFAULT 0,
transfer_days int(11) NOT NULL DEFAULT 2,
latitude decimal(9,6) DEFAULT NULL,
longitude decimal(10,6) DEFAULT NULL,
shipping_zones varchar(1000) NOT NULL DEFAULT '',
created_at datetime NOT NULL,
updated_at datetime NOT NULL,
PRIMARY KEY  (id),
KEY priority (priority)
) $collate;",
			"CREATE TABLE {$t->postcodes} (
country varchar(2) NOT NULL,
postcode varchar(20) NOT NULL,
latitude decimal(9,6) NOT NULL,
longitude decimal(10,6) NOT NULL,
PRIMARY KEY  (country,postcode)
) $collate;",
			"CREATE TABLE {$t->levels} (
product_id bigint(20) unsigned NOT NULL,
location_id bigint(20) unsigned NOT NULL,
on_hand bigint(20) NOT NULL DEFAULT 0,
committed bigint(20) NOT NULL DEFAULT 0,
safety bigint(20) NOT NULL DEFAULT 0,
count_at bigint(20) DEFAULT NULL,
count_id varbinary(200) DEFAULT NULL,
updated_at bigint(20) NOT NULL DEFAULT 0,
PRIMARY KEY  (product_id,location_id),
KEY location_id (location_id)
) $collate;",
			"CREATE TABLE {$t->ledger} (
seq bigint(20) unsigned NOT NULL AUTO_INCREMENT,
event_id varbinary(200) NOT NULL,
kind varchar(16) NOT NULL,
product_id bigint(20) unsigned NOT NULL,
location_id bigint(20) unsigned NOT NULL,
to_location_id bigint(20) unsigned DEFAULT NULL,
qty bigint(20) NOT NULL,
at bigint(20) NOT NULL,
arrived_at bigint(20) NOT NULL,
source varchar(32) NOT NULL DEFAULT '',
reference varchar(191) NOT NULL DEFAULT '',
actor varchar(191) NOT NULL DEFAULT '',
reason varchar(64) NOT NULL DEFAULT '',
PRIMARY KEY  (seq),
UNIQUE KEY event_id (event_id),
KEY cell_at (product_id,location_id,at),
KEY to_cell_at (product_id,to_location_id,at)
) $collate;",
			"CREATE TABLE {$t->holds} (
hold_key varchar(191) NOT NULL,
product_id bigint(20) unsigned NOT NULL,
location_id bigint(20) unsigned NOT NULL,
qty bigint(20) NOT NULL,
state varchar(16) NOT NULL DEFAULT 'held',
expires_at bigint(20) NOT NULL DEFAULT 0,
created_at bigint(20) NOT NULL,
PRIMARY KEY  (hold_key,product_id,location_id),
KEY cell_state (product_id,location_id,state,expires_at)
) $collate;",
			"CREATE TABLE {$t->hold_claims} (
hold_key varchar(191) NOT NULL,
owner varchar(64) NOT NULL,
expires_at bigint(20) NOT NULL,
PRIMARY KEY  (hold_key,owner),
KEY owner_expires (owner,expires_at)
) $collate;",
			"CREATE TABLE {$t->pos_sales} (
uuid char(36) NOT NULL,
status varchar(16) NOT NULL DEFAULT 'pending',
order_id bigint(20) unsigned NOT NULL DEFAULT 0,
claimed_at bigint(20) NOT NULL,
token varchar(32) NOT NULL DEFAULT '',
fingerprint varchar(64) NOT NULL DEFAULT '',
at_ms bigint(20) NOT NULL DEFAULT 0,
response longtext NULL,
PRIMARY KEY  (uuid),
KEY order_id (order_id)
) $collate;",
			// The transactional outbox (Connectors\Outbox): one row per connection and mapped cell,
			// written in the stock change's own transaction. `version` counts the changes; a push
			// acknowledged for an older version leaves the row pending. `event_id` is "cell:<product>:<location>".
			"CREATE TABLE {$t->outbox} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
connector varchar(64) NOT NULL,
event_id varbinary(200) NOT NULL,
product_id bigint(20) unsigned NOT NULL DEFAULT 0,
location_id bigint(20) unsigned NOT NULL DEFAULT 0,
payload longtext NOT NULL,
status varchar(16) NOT NULL DEFAULT 'pending',
version bigint(20) unsigned NOT NULL DEFAULT 1,
sent_version bigint(20) unsigned NOT NULL DEFAULT 0,
attempts int(11) NOT NULL DEFAULT 0,
next_attempt_at bigint(20) NOT NULL DEFAULT 0,
first_failed_at bigint(20) NOT NULL DEFAULT 0,
last_error text NULL,
created_at bigint(20) NOT NULL,
updated_at bigint(20) NOT NULL DEFAULT 0,
PRIMARY KEY  (id),
UNIQUE KEY connector_event (connector,event_id),
KEY status_next (status,next_attempt_at),
KEY connector_status (connector,status)
) $collate;",
			// External POS connections (Connectors\Connections). `secrets` is a sealed box
			// (Connectors\Secrets): the credentials and the webhook secret, never stored in clear.
			"CREATE TABLE {$t->connections} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
provider varchar(16) NOT NULL,
name varchar(191) NOT NULL,
api_base varchar(500) NOT NULL,
secrets text NOT NULL,
settings text NOT NULL,
status varchar(16) NOT NULL DEFAULT 'active',
last_webhook_at bigint(20) NOT NULL DEFAULT 0,
last_push_at bigint(20) NOT NULL DEFAULT 0,
last_reconcile_at bigint(20) NOT NULL DEFAULT 0,
created_at bigint(20) NOT NULL,
updated_at bigint(20) NOT NULL,
PRIMARY KEY  (id)
) $collate;",
			// `system_of_record`: who wins when reconciliation finds drift at this location (omnistock|provider).
			"CREATE TABLE {$t->connection_locations} (
connection_id bigint(20) unsigned NOT NULL,
external_id varchar(191) NOT NULL,
location_id bigint(20) unsigned NOT NULL,
system_of_record varchar(16) NOT NULL DEFAULT 'omnistock',
PRIMARY KEY  (connection_id,external_id),
UNIQUE KEY connection_location (connection_id,location_id)
) $collate;",
			"CREATE TABLE {$t->connection_items} (
connection_id bigint(20) unsigned NOT NULL,
external_id varchar(191) NOT NULL,
product_id bigint(20) unsigned NOT NULL,
PRIMARY KEY  (connection_id,external_id),
UNIQUE KEY connection_product (connection_id,product_id)
) $collate;",
			// One row per verified webhook delivery. `status`: new, applied, echo (nothing new), stale
			// (older than what the register showed since), unmapped (kept until mapped), deferred (a
			// push to its cell is in flight), invalid (verified but not understood: `error` says why).
			"CREATE TABLE {$t->inbox} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
connection_id bigint(20) unsigned NOT NULL,
delivery_id varbinary(200) NOT NULL,
topic varchar(100) NOT NULL DEFAULT '',
body mediumtext NOT NULL,
status varchar(16) NOT NULL DEFAULT 'new',
error text NULL,
received_at bigint(20) NOT NULL,
processed_at bigint(20) NOT NULL DEFAULT 0,
PRIMARY KEY  (id),
UNIQUE KEY connection_delivery (connection_id,delivery_id),
KEY status_received (status,received_at)
) $collate;",
			// What a connection's register last showed for a mapped cell (Connectors\ExternalCells):
			// `ext_qty` at `ext_at` (the provider's clock, ms; NULL until first seen), the units its own
			// sales and counts moved here in all (`applied`), and the push in flight, if any.
			"CREATE TABLE {$t->external_cells} (
connection_id bigint(20) unsigned NOT NULL,
product_id bigint(20) unsigned NOT NULL,
location_id bigint(20) unsigned NOT NULL,
ext_qty bigint(20) DEFAULT NULL,
ext_at bigint(20) NOT NULL DEFAULT 0,
applied bigint(20) NOT NULL DEFAULT 0,
pushed bigint(20) NOT NULL DEFAULT 0,
inflight_key varchar(191) NOT NULL DEFAULT '',
inflight_delta bigint(20) NOT NULL DEFAULT 0,
inflight_target bigint(20) DEFAULT NULL,
inflight_since bigint(20) NOT NULL DEFAULT 0,
drift bigint(20) DEFAULT NULL,
drift_at bigint(20) NOT NULL DEFAULT 0,
updated_at bigint(20) NOT NULL DEFAULT 0,
PRIMARY KEY  (connection_id,product_id,location_id),
KEY cell (product_id,location_id)
) $collate;",
			// The POS drawer. `open_location` is the location while a session is open and NULL once
			// closed: its unique key lets only one session per location be open, even when two
			// terminals open at the same instant.
			"CREATE TABLE {$t->pos_sessions} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
location_id bigint(20) unsigned NOT NULL,
open_location bigint(20) unsigned DEFAULT NULL,
status varchar(16) NOT NULL DEFAULT 'open',
decimals tinyint(3) unsigned NOT NULL DEFAULT 2,
float_amount bigint(20) NOT NULL DEFAULT 0,
opened_by bigint(20) unsigned NOT NULL DEFAULT 0,
opened_at bigint(20) NOT NULL,
closed_by bigint(20) unsigned DEFAULT NULL,
closed_at bigint(20) DEFAULT NULL,
expected bigint(20) DEFAULT NULL,
counted bigint(20) DEFAULT NULL,
PRIMARY KEY  (id),
UNIQUE KEY open_location (open_location),
KEY location_opened (location_id,opened_at)
) $collate;",
			"CREATE TABLE {$t->pos_movements} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
session_id bigint(20) unsigned NOT NULL,
type varchar(8) NOT NULL,
amount bigint(20) NOT NULL,
note text NOT NULL,
user_id bigint(20) unsigned NOT NULL DEFAULT 0,
created_at bigint(20) NOT NULL,
PRIMARY KEY  (id),
KEY session_id (session_id)
) $collate;",
			"CREATE TABLE {$t->shipments} (
id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
order_id bigint(20) unsigned NOT NULL,
location_id bigint(20) unsigned NOT NULL,
status varchar(16) NOT NULL,
items text NOT NULL,
carrier varchar(100) NOT NULL DEFAULT '',
tracking varchar(100) NOT NULL DEFAULT '',
reason varchar(200) NOT NULL DEFAULT '',
rerouted_to varchar(191) NOT NULL DEFAULT '',
unrouted text NOT NULL,
created_at bigint(20) NOT NULL,
picked_at bigint(20) NOT NULL DEFAULT 0,
packed_at bigint(20) NOT NULL DEFAULT 0,
shipped_at bigint(20) NOT NULL DEFAULT 0,
rejected_at bigint(20) NOT NULL DEFAULT 0,
PRIMARY KEY  (id),
KEY location_status (location_id,status),
KEY order_id (order_id)
) $collate;",
			// A return at the counter (Pos\Returns): its id claimed once, its answer kept.
			"CREATE TABLE {$t->pos_returns} (
uuid char(36) NOT NULL,
status varchar(16) NOT NULL DEFAULT 'pending',
order_id bigint(20) unsigned NOT NULL DEFAULT 0,
location_id bigint(20) unsigned NOT NULL DEFAULT 0,
refund_id bigint(20) unsigned NOT NULL DEFAULT 0,
method varchar(16) NOT NULL DEFAULT '',
amount bigint(20) NOT NULL DEFAULT 0,
decimals tinyint(3) unsigned NOT NULL DEFAULT 2,
user_id bigint(20) unsigned NOT NULL DEFAULT 0,
claimed_at bigint(20) NOT NULL,
created_at bigint(20) NOT NULL DEFAULT 0,
token varchar(32) NOT NULL DEFAULT '',
fingerprint varchar(64) NOT NULL DEFAULT '',
response longtext NULL,
PRIMARY KEY  (uuid),
KEY order_id (order_id),
KEY location_created (location_id,created_at)
) $collate;",
		);
	}
}
