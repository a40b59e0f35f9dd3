/**
 * Omnistock: a variable product's availability per pickup store follows the chosen variation
 * (WooCommerce's found_variation / reset_data events on the variations form). The lines are the
 * product page's own (ProductAvailability::line), built from GET /omnistock/v1/availability.
 */
( function ( $, config ) {
	'use strict';
	if ( ! $ || ! config ) {
		return;
	}
	function format( text, args ) {
		var i = 0;
		return text.replace( /%(\d+\$)?[sd]/g, function ( match, position ) {
			var index = position ? parseInt( position, 10 ) - 1 : i++;
			return String( args[ index ] );
		} );
	}
	function line( location ) {
		var s = config.strings;
		var when = location.pickup_hours <= config.today ? s.today : format( s.hours, [ location.pickup_hours ] );
		if ( location.sellable < 1 ) {
			return { state: 'none', text: format( s.none, [ location.name ] ) };
		}
		if ( location.sellable <= config.low ) {
			return { state: 'low', text: format( s.low, [ location.sellable, location.name, when ] ) };
		}
		return { state: 'in', text: format( s['in'], [ location.name, when ] ) };
	}
	function show( $list, items ) {
		$list.empty();
		items.forEach( function ( item ) {
			$( '<li>' ).addClass( item.cls ).text( item.text ).appendTo( $list );
		} );
	}
	$( document.body ).on( 'found_variation', 'form.variations_form', function ( event, variation ) {
		var $list = $( '.omnistock-pickup .omnistock-pickup__list' );
		if ( ! $list.length || ! variation || ! variation.variation_id ) {
			return;
		}
		var id = variation.variation_id;
		$list.attr( 'data-variation', id );
		$.getJSON( config.url, { products: String( id ) } )
			.done( function ( answer ) {
				if ( String( $list.attr( 'data-variation' ) ) !== String( id ) ) {
					return; // Another variation was chosen meanwhile.
				}
				var locations = ( answer && answer[ 0 ] && answer[ 0 ].locations ) || [];
				show( $list, locations.map( function ( location ) {
					var l = line( location );
					return { cls: 'omnistock-pickup__line omnistock-pickup__line--' + l.state, text: l.text };
				} ) );
			} )
			.fail( function () {
				show( $list, [ { cls: 'omnistock-pickup__hint', text: config.failed } ] );
			} );
	} );
	$( document.body ).on( 'reset_data', 'form.variations_form', function () {
		var $list = $( '.omnistock-pickup .omnistock-pickup__list' );
		$list.removeAttr( 'data-variation' );
		show( $list, [ { cls: 'omnistock-pickup__hint', text: config.choose } ] );
	} );
}( window.jQuery, window.omnistockPickup ) );
