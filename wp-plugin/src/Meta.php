<?php
/**
 * Every meta key the plugin reads or writes on WooCommerce's orders, order lines and products, and on users.
 *
 * @package Omnistock
 */

namespace Omnistock;

defined( 'ABSPATH' ) || exit;

/**
 * One place for the keys (and the `created_via` of POS orders); the classes that own a key name it from here.
 */
final class Meta {

	/** Order: the order's stock state in Omnistock (WooCommerce\OrderStock). */
	public const ORDER_STATE = '_omnistock_state';
	/** Order line: the location its units come from (WooCommerce\OrderStock). */
	public const LINE_LOCATION = '_omnistock_location';
	/** Order line split across locations (only when the shop allows splits): JSON {"<location id>": units, ...}, LINE_LOCATION the first of them (WooCommerce\OrderStock). */
	public const LINE_SPLIT = '_omnistock_split';
	/** Order line: the POS discount that lowered its amounts (Pos\Quote, Pos\SaleDiscounts). */
	public const LINE_DISCOUNT = '_omnistock_discount';
	/** Order line: that discount before tax as decided when the order was built, an amount (Pos\Quote, Pos\SaleDiscounts). */
	public const LINE_DISCOUNT_NET = '_omnistock_discount_net';
	/** Product: its barcode at the POS (Pos\Catalogue). */
	public const BARCODE = '_omnistock_barcode';

	/** Order: `created_via` of an order made at the POS. */
	public const POS_CREATED_VIA = 'omnistock-pos';
	/** POS order: the terminal's sale id (Pos\Sales). */
	public const POS_SALE = '_omnistock_pos_sale';
	/** POS order: the cashier's user id (Pos\Sales, Pos\Receipts). */
	public const POS_CASHIER = '_omnistock_cashier';
	/** POS order: the payments, a JSON list (Pos\Sales, Pos\SalePayments). */
	public const POS_PAYMENTS = '_omnistock_payments';
	/** POS order: the change given (Pos\Sales). */
	public const POS_CHANGE = '_omnistock_change';
	/** POS order and refund: the drawer session it belongs to (Pos\Sales, Pos\Drawer). */
	public const POS_SESSION = '_omnistock_session';
	/** POS order: the location it was sold at (Pos\Drawer, Pos\Receipts). */
	public const POS_LOCATION = '_omnistock_location';
	/** POS refund: how the money went back (Pos\Drawer). */
	public const POS_REFUND_METHOD = '_omnistock_refund_method';
	/** Refund: the id of the return at the counter it belongs to (Pos\Returns, Pos\Drawer, Pos\Reports). */
	public const POS_RETURN = '_omnistock_return';
	/** Refund: the location the return was taken at, an id (Pos\Returns). */
	public const POS_RETURN_LOCATION = '_omnistock_return_location';
	/** Coupon: the return whose store credit it is (Pos\Returns). */
	public const POS_RETURN_CREDIT = '_omnistock_return_credit';

	/** Order: the location the shopper collects it from, an id (WooCommerce\PickupRates sets it from the rate `omnistock_pickup:<id>`). */
	public const PICKUP_LOCATION = '_omnistock_pickup_location';
	/** Order: where a pickup order stands, a Pickup\PickupStatus value (Pickup\Pickups). */
	public const PICKUP_STATUS = '_omnistock_pickup_status';
	/** Order: the location a pickup order's missing units are sent from to its store, an id (WooCommerce\OrderStock sets it at checkout; Pickup\Pickups reads it). */
	public const PICKUP_SOURCE = '_omnistock_pickup_source';
	/** Order: when the store received the units sent from PICKUP_SOURCE, milliseconds (Pickup\Pickups). */
	public const PICKUP_RECEIVED_AT = '_omnistock_pickup_received_at';
	/** Order: the pickup code, hashed (Pickup\PickupCode); the code itself is only in the shopper's e-mail. */
	public const PICKUP_CODE = '_omnistock_pickup_code';
	/** Order: when it became ready, milliseconds (Pickup\Pickups). */
	public const PICKUP_READY_AT = '_omnistock_pickup_ready_at';
	/** Order: when it was handed over, milliseconds (Pickup\Pickups). */
	public const PICKUP_COLLECTED_AT = '_omnistock_pickup_collected_at';
	/** Order: the shopper said "I'm here", {at, note} (Pickup\Pickups). */
	public const PICKUP_ARRIVED = '_omnistock_pickup_arrived';
	/** Order: why staff or the no-show sweep cancelled it (Pickup\Pickups). */
	public const PICKUP_CANCEL_REASON = '_omnistock_pickup_cancel_reason';
	/** Order: when the not-collected reminder went, milliseconds (Pickup\Pickups). */
	public const PICKUP_REMINDED = '_omnistock_pickup_reminded';

	/** Product: where it sits in a store, a bin or shelf label shown on the shipments' pick lists (WooCommerce\ProductBin writes it, Fulfilment\Shipments reads it). */
	public const BIN = '_omnistock_bin';

	/** User: the location ids the user may act for at the POS, a list of integers (Pos\Staff). */
	public const STAFF_LOCATIONS = '_omnistock_staff_locations';
}
