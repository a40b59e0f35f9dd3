/**
 * Omnistock: a variable product's availability per pickup store follows the chosen variation
 * (WooCommerce's found_variation / reset_data events on the variations form). The lines are the
 * product page's own (ProductAvailability::line), built from GET /omnistock/v1/availability.
 *
 * @param {Function} $      jQuery.
 * @param {Object}   config omnistockPickup: the REST URL, the store lines' wording.
 */
( function ( $, config ) {
	'use strict';
	if ( ! $ || ! config ) {
		return;
	}
	function format( text, args ) {
		let i = 0;
		return text.replace( /%(\d+\$)?[sd]/g, function ( match, position ) {
			const index = position ? parseInt( position, 10 ) - 1 : i++;
			return String( args[ index ] );
		} );
	}
	function line( location ) {
		const s = config.strings;
		const when =
			location.pickup_hours <= config.today
				? s.today
				: format( s.hours, [ location.pickup_hours ] );
		if ( location.sellable < 1 ) {
			return { state: 'none', text: format( s.none, [ location.name ] ) };
		}
		if ( location.sellable <= config.low ) {
			return {
				state: 'low',
				text: format( s.low, [
					location.sellable,
					location.name,
					when,
				] ),
			};
		}
		return {
			state: 'in',
			text: format( s.in, [ location.name, when ] ),
		};
	}
	function show( $list, items ) {
		$list.empty();
		items.forEach( function ( item ) {
			$( '<li>' )
				.addClass( item.cls )
				.text( item.text )
				.appendTo( $list );
		} );
	}
	$( document.body ).on(
		'found_variation',
		'form.variations_form',
		function ( event, variation ) {
			const $list = $( '.omnistock-pickup .omnistock-pickup__list' );
			if ( ! $list.length || ! variation || ! variation.variation_id ) {
				return;
			}
			const id = variation.variation_id;
			$list.attr( 'data-variation', id );
			$.getJSON( config.url, { products: String( id ) } )
				.done( function ( answer ) {
					if (
						String( $list.attr( 'data-variation' ) ) !==
						String( id )
					) {
						return; // Another variation was chosen meanwhile.
					}
					const locations =
						( answer && answer[ 0 ] && answer[ 0 ].locations ) ||
						[];
					show(
						$list,
						locations.map( function ( location ) {
							const l = line( location );
							return {
								cls:
									'omnistock-pickup__line omnistock-pickup__line--' +
									l.state,
								text: l.text,
							};
						} )
					);
				} )
				.fail( function () {
					show( $list, [
						{ cls: 'omnistock-pickup__hint', text: config.failed },
					] );
				} );
		}
	);
	$( document.body ).on( 'reset_data', 'form.variations_form', function () {
		const $list = $( '.omnistock-pickup .omnistock-pickup__list' );
		$list.removeAttr( 'data-variation' );
		show( $list, [
			{ cls: 'omnistock-pickup__hint', text: config.choose },
		] );
	} );
} )( window.jQuery, window.omnistockPickup );
