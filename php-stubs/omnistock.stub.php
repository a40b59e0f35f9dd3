<?php

/** @generate-class-entries */

namespace Omnistock;

/**
 * Every runtime failure the extension reports derives from this class.
 * Caller mistakes are \ValueError / \TypeError; violated invariants are \Error subclasses.
 */
class Exception extends \Exception
{
}
