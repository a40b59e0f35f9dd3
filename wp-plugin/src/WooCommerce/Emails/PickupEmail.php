<?php
/**
 * The pickup e-mails' common part: a WooCommerce e-mail with a template of the plugin's that themes may override.
 *
 * @package Omnistock
 */

namespace Omnistock\WooCommerce\Emails;

defined( 'ABSPATH' ) || exit;

/**
 * Listed and editable under WooCommerce → Settings → Emails. Templates: wp-plugin/templates/emails/
 * (and emails/plain/), overridable as yourtheme/woocommerce/emails/<name>.php.
 */
abstract class PickupEmail extends \WC_Email {

	/**
	 * The pickup location the e-mail is about.
	 *
	 * @var array
	 */
	protected array $store = array();

	/**
	 * What the template shows beside the order (the code, the reason, the shopper's note).
	 *
	 * @var array<string, mixed>
	 */
	protected array $extra = array();

	/**
	 * Sets the template names from the e-mail id.
	 */
	public function __construct() {
		$name                 = str_replace( '_', '-', $this->id );
		$this->template_html  = "emails/$name.php";
		$this->template_plain = "emails/plain/$name.php";
		$this->template_base  = dirname( __DIR__, 3 ) . '/templates/';
		$this->placeholders   = array(
			'{order_number}' => '',
			'{store_name}'   => '',
		);
		parent::__construct();
	}

	/**
	 * Sends it for an order.
	 *
	 * @param \WC_Order $order Order.
	 * @param array     $store The pickup location.
	 * @param array     $extra What the template shows besides.
	 */
	public function send_for( \WC_Order $order, array $store, array $extra = array() ): bool {
		$this->setup_locale();
		$this->object                         = $order;
		$this->store                          = $store;
		$this->extra                          = $extra;
		$this->placeholders['{order_number}'] = $order->get_order_number();
		$this->placeholders['{store_name}']   = (string) ( $store['name'] ?? '' );
		if ( $this->customer_email ) {
			$this->recipient = $order->get_billing_email();
		}
		$sent = false;
		if ( $this->is_enabled() && $this->get_recipient() ) {
			$sent = (bool) $this->send( $this->get_recipient(), $this->get_subject(), $this->get_content(), $this->get_headers(), $this->get_attachments() );
		}
		$this->restore_locale();
		return $sent;
	}

	/**
	 * The template's variables.
	 *
	 * @param bool $plain Plain text.
	 */
	private function args( bool $plain ): array {
		return array(
			'order'              => $this->object,
			'store'              => $this->store,
			'extra'              => $this->extra,
			'email_heading'      => $this->get_heading(),
			'additional_content' => $this->get_additional_content(),
			'sent_to_admin'      => ! $this->customer_email,
			'plain_text'         => $plain,
			'email'              => $this,
		);
	}

	/**
	 * HTML body.
	 */
	public function get_content_html() {
		return wc_get_template_html( $this->template_html, $this->args( false ), '', $this->template_base );
	}

	/**
	 * Plain body.
	 */
	public function get_content_plain() {
		return wc_get_template_html( $this->template_plain, $this->args( true ), '', $this->template_base );
	}
}
