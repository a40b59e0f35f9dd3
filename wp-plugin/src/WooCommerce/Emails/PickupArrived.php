<?php
/**
 * E-mail omnistock_pickup_arrived.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce\Emails;

defined( 'ABSPATH' ) || exit;

/**
 * Sent to the store when a shopper says "I am here" from the curbside page.
 */
final class PickupArrived extends PickupEmail {

	/**
	 * Names it.
	 */
	public function __construct() {
		$this->id             = 'omnistock_pickup_arrived';
		$this->customer_email = false;
		$this->title          = __( 'Shopper arrived for pickup', 'omnistock' );
		$this->description    = __( 'Sent to the store when a shopper says "I am here" from the curbside page.', 'omnistock' );
		parent::__construct();
		$this->recipient = '' !== (string) $this->get_option( 'recipient' ) ? $this->get_option( 'recipient' ) : get_option( 'admin_email' );
	}

	/**
	 * The settings WooCommerce shows for it, with whom to tell first.
	 *
	 * @return void
	 */
	public function init_form_fields() {
		parent::init_form_fields();
		$this->form_fields = array(
			'recipient' => array(
				'title'       => __( 'Recipient(s)', 'omnistock' ),
				'type'        => 'text',
				/* translators: %s: the admin e-mail */
				'description' => sprintf( __( 'Who is told, comma-separated (default %s; filter omnistock_pickup_store_email per store).', 'omnistock' ), esc_html( (string) get_option( 'admin_email' ) ) ),
				'placeholder' => '',
				'default'     => '',
				'desc_tip'    => true,
			),
		) + $this->form_fields;
	}

	/**
	 * Default subject.
	 */
	public function get_default_subject() {
		return __( '[{site_title}] The shopper of order #{order_number} has arrived at {store_name}', 'omnistock' );
	}

	/**
	 * Default heading.
	 */
	public function get_default_heading() {
		return __( 'A shopper has arrived', 'omnistock' );
	}
}
