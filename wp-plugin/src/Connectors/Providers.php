<?php
/**
 * The providers Omnistock connects to, by name.
 *
 * @package Omnistock
 */

namespace Omnistock\Connectors;

use Omnistock\BadInput;

defined( 'ABSPATH' ) || exit;

/**
 * Square, Shopify, Clover and Standard (any Standard Webhooks sender that speaks our JSON stock API).
 */
final class Providers {

	public const NAMES = array( 'square', 'shopify', 'clover', 'standard' );

	/**
	 * The provider of this name.
	 *
	 * @param string $name Provider name.
	 * @throws BadInput When there is no such provider.
	 */
	public static function get( string $name ): Provider {
		return match ( $name ) {
			'square'   => new Providers\Square(),
			'shopify'  => new Providers\Shopify(),
			'clover'   => new Providers\Clover(),
			'standard' => new Providers\Standard(),
			default    => throw new BadInput( 'provider', __( 'must be one of square, shopify, clover, standard', 'omnistock' ) ),
		};
	}
}
