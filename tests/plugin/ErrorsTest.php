<?php
/**
 * The plugin's errors have one root and three kinds, and REST maps each kind to one status.
 *
 * @package Omnistock
 */

namespace Omnistock\Tests;

use Omnistock\BadInput;
use Omnistock\Error;
use Omnistock\Inventory\HoldRefused;
use Omnistock\Inventory\InvalidEvent;
use Omnistock\Inventory\StorageError;
use Omnistock\Pos\DrawerRefused;
use Omnistock\Pos\InvalidInput;
use Omnistock\Pos\PosError;
use Omnistock\Refusal;
use Omnistock\Refused;
use Omnistock\Rest\Failure;
use Omnistock\Unavailable;

final class ErrorsTest extends TestCase {

	public function test_every_exception_of_the_plugin_is_one_of_the_three_kinds(): void {
		$kinds = array(
			BadInput::class    => array( new InvalidEvent( 'events[0].qty', 'must be an integer' ), new InvalidInput( 'float', 'float cannot be negative.' ), PosError::field( 'lines[2].qty', 'must be an integer' ) ),
			Refused::class     => array( new PosError( 'omnistock_pos_short', 'Short.', Refusal::Conflict ), new DrawerRefused( 'omnistock_pos_session_closed', 'Closed.', Refusal::Conflict ), new HoldRefused( array() ) ),
			Unavailable::class => array( new StorageError( 'Omnistock database error: gone away', 2006 ) ),
		);
		foreach ( $kinds as $kind => $errors ) {
			foreach ( $errors as $e ) {
				$this->assertInstanceOf( Error::class, $e );
				$this->assertInstanceOf( $kind, $e, get_class( $e ) );
			}
		}
		$this->assertInstanceOf( \InvalidArgumentException::class, new InvalidEvent( 'x', 'y' ), 'callers that catch InvalidArgumentException still do' );
		$this->assertSame( 2006, ( new StorageError( 'gone', 2006 ) )->getCode(), 'Database retries by the error number' );
	}

	public function test_rest_answers_each_kind_with_its_status_code_and_data(): void {
		$bad = Failure::answer( PosError::field( 'lines[2].qty', 'must be an integer from 1 to 9' ), 'unavailable' );
		$this->assertSame( array( 'rest_invalid_param', 'lines[2].qty: must be an integer from 1 to 9' ), array( $bad->get_error_code(), $bad->get_error_message() ) );
		$this->assertSame(
			array(
				'status' => 400,
				'params' => array( 'lines[2].qty' => 'must be an integer from 1 to 9' ),
				'field'  => 'lines[2].qty',
			),
			$bad->get_error_data()
		);
		$drawer = Failure::answer( new InvalidInput( 'float', 'float cannot be negative.' ), 'unavailable' );
		$this->assertSame( array( 'omnistock_invalid', 'float cannot be negative.', array( 'float' => 'float cannot be negative.' ), 'float' ), array( $drawer->get_error_code(), $drawer->get_error_message(), $drawer->get_error_data()['params'], $drawer->get_error_data()['field'] ) );

		$statuses = array(
			400 => new PosError( 'omnistock_pos_underpaid', 'Underpaid.', Refusal::Rule, array( 'params' => array( 'payments' => 'do not cover the total' ) ) ),
			403 => new PosError( 'omnistock_pos_discount_forbidden', 'No.', Refusal::Forbidden ),
			404 => new DrawerRefused( 'omnistock_pos_session_not_found', 'No such drawer session.', Refusal::NotFound ),
			409 => new PosError( 'omnistock_pos_short', 'Short.', Refusal::Conflict, array( 'short' => array( array( 'product' => 5 ) ) ) ),
			502 => new Unavailable( 'omnistock_pos_mail_failed', 'The receipt could not be sent.', true ),
			503 => new Unavailable( 'omnistock_pos_busy', 'Busy.' ),
		);
		foreach ( $statuses as $status => $e ) {
			$answer = Failure::answer( $e, 'unavailable' );
			$this->assertSame( array( $e->error_code(), $e->getMessage() ), array( $answer->get_error_code(), $answer->get_error_message() ) );
			$this->assertSame( array( 'status' => $status ) + $e->details(), $answer->get_error_data(), $e->error_code() );
		}

		// The database's own message, or the extension's, is not for the caller.
		foreach ( array( new StorageError( 'Omnistock database error: secret table' ), new \Omnistock\Exception( 'lock wait timed out' ) ) as $e ) {
			$answer = Failure::answer( $e, 'The inventory could not be updated.' );
			$this->assertSame( array( 'omnistock_unavailable', 'The inventory could not be updated.', array( 'status' => 503 ) ), array( $answer->get_error_code(), $answer->get_error_message(), $answer->get_error_data() ) );
		}
	}
}
