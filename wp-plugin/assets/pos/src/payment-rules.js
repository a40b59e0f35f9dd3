/**
 * The payment rules of the Payment screen, without React: what a cash, card or split payment
 * sends and the change it gives. The change is MoneyRules::tender's (the plugin's), mirrored.
 */
import { toMinor, fromMinor } from './money';

/**
 * What a till does with a tender (MoneyRules::tender): the cash still owed after the cards, the
 * cash kept of what was handed over, the change and what is still missing; all minor units.
 *
 * @param {number} total     The order's total.
 * @param {number} card      The card payments, summed.
 * @param {number} cashGiven The cash handed over, summed.
 * @return {{cashDue: number, cashKept: number, change: number, short: number}} The tender.
 */
export function tender( total, card, cashGiven ) {
	const cashDue = Math.max( 0, total - card );
	const cashKept = Math.max( 0, Math.min( cashGiven, cashDue ) );
	return {
		cashDue,
		cashKept,
		change: cashGiven - cashKept,
		short: cashDue - cashKept,
	};
}

/**
 * The change of a list of payments as the sales route takes them ({method, amount, tendered?}).
 *
 * @param {Array}  list  Payments.
 * @param {string} total The order's total.
 * @return {number} Change, minor units.
 */
export function changeOf( list, total ) {
	let card = 0;
	let cash = 0;
	for ( const p of list ) {
		if ( p.method === 'cash' ) {
			cash += toMinor( p.tendered ?? p.amount );
		} else {
			card += toMinor( p.amount );
		}
	}
	return tender( toMinor( total ), card, cash ).change;
}

/**
 * The payments a method sends for a total, the change shown and whether the sale can complete.
 *
 * @param {string} method            cash, card or split.
 * @param {string} total             The order's total ("12.50").
 * @param {Object} fields            What the cashier typed.
 * @param {string} fields.tendered   Cash handed over.
 * @param {string} fields.cardAmount The card's part of a split.
 * @param {string} fields.reference  The card terminal's reference.
 * @return {{list: Array, change: number, ok: boolean}} The plan.
 */
export function payments( method, total, { tendered, cardAmount, reference } ) {
	const due = toMinor( total );
	if ( method === 'card' ) {
		return {
			list: [ { method: 'card', amount: fromMinor( due ), reference } ],
			change: 0,
			ok: reference.trim() !== '',
		};
	}
	const card = method === 'split' ? toMinor( cardAmount || '0' ) : 0;
	const given = toMinor( tendered || '0' );
	const till = tender( due, card, given );
	const list = [];
	if ( card > 0 ) {
		list.push( { method: 'card', amount: fromMinor( card ), reference } );
	}
	if ( till.cashDue > 0 ) {
		list.push( {
			method: 'cash',
			amount: fromMinor( till.cashDue ),
			tendered: fromMinor( given ),
		} );
	}
	const ok =
		card >= 0 &&
		card <= due &&
		till.short === 0 &&
		( card === 0 || reference.trim() !== '' ) &&
		! Number.isNaN( given + card );
	return { list, change: Math.max( 0, till.change ), ok };
}
