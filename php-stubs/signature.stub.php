<?php

/** @generate-class-entries */

namespace Omnistock;

/**
 * Signed webhooks of the POS world, verified and signed with libsodium.
 *
 * Schemes, each exactly as its owner documents it:
 *   standard  Standard Webhooks 1.0: webhook-id, webhook-timestamp, webhook-signature; signed content
 *             "id.timestamp.body"; "v1,<base64>" is HMAC-SHA256 keyed by a "whsec_<base64>" secret (the
 *             prefix may be left out), "v1a,<base64>" is Ed25519 checked with a "whpk_<base64>" public key
 *             (or the "whsk_" secret key). The header is a list separated by single spaces; any entry may
 *             match; entries of other versions are ignored.
 *   square    x-square-hmacsha256-signature: base64 HMAC-SHA256 of options['url'] (the notification URL,
 *             required) followed by the body, keyed by the signature key's bytes. With options['legacy']
 *             the old x-square-signature (HMAC-SHA1, same content) is accepted when the SHA-256 header is
 *             absent. The id is the body's top-level "event_id".
 *   shopify   X-Shopify-Hmac-Sha256: base64 HMAC-SHA256 of the body keyed by the app's client secret; the id
 *             is X-Shopify-Webhook-Id.
 *   stripe    Stripe-Signature: "t=<unix time>,v1=<hex>[,v1=<hex>...]" (other schemes in the list ignored),
 *             HMAC-SHA256 of "t.body" keyed by the endpoint secret ("whsec_..." as it is); the id is the
 *             body's top-level "id" (evt_...).
 *   clover    X-Clover-Auth: the app's auth code itself, compared in constant time.
 *
 * Replay: standard and stripe sign a timestamp, which must lie within options['tolerance'] seconds of
 * options['now'] in both directions. square, shopify and clover sign no timestamp: a captured request
 * verifies again forever, so the caller MUST de-duplicate on the returned id (square, shopify) and treat
 * clover notifications as hints to re-read state from Clover's API.
 *
 * Header values are matched by name case-insensitively; a value may be a string or a list of strings
 * (as PSR-7 gives them); two values for one header are refused as Malformed. Surrounding spaces and tabs
 * of a value are dropped (HTTP does not count them as part of it); an empty value, any other whitespace,
 * control or non-ASCII byte is Malformed, and so is a value over 8 KiB or a list of over 32 signatures.
 *
 * Checks run in this order, and the first that fails is the reason: body size (TooLarge), headers
 * (MissingHeader, Malformed), secrets (NoSecret; a secret not in the scheme's format is a ValueError),
 * signature (Mismatch), signed timestamp (Expired, NotYetValid). Every MAC comparison is constant-time;
 * decoded keys and MAC states are wiped after use. The secret strings passed in belong to the caller:
 * they are never copied, but only the caller can drop them.
 *
 * @strict-properties
 * @not-serializable
 */
final class Webhook
{
    private function __construct() {}

    /**
     * Verifies a received webhook, or throws SignatureException saying why not.
     *
     * @param string $scheme "standard", "square", "shopify", "stripe" or "clover"
     * @param array $headers the request headers, name => value
     * @param string $body the raw request body, exactly as received
     * @param string[] $secrets every currently valid secret (rotation): the first that verifies wins
     * @param array $options
     *        tolerance: seconds (default 300); now: unix time (default the current time);
     *        max_bytes: largest body accepted (default 1048576); url and legacy: square only
     * @throws SignatureException when anything does not verify; its reason says what
     * @throws \ValueError when $scheme, a secret's format or an option is wrong (the caller's mistake)
     */
    public static function verify(string $scheme, array $headers, string $body, #[\SensitiveParameter] array $secrets, array $options = []): VerifiedWebhook {}

    /**
     * The headers to send with $body, name => value.
     *
     * @param array $options
     *        standard: id (default a new random "msg_..."), timestamp (default now); stripe: timestamp;
     *        shopify: id (sent as X-Shopify-Webhook-Id); square: url (required), legacy (also send the
     *        SHA-1 header)
     * @return string[] name => value
     */
    public static function sign(string $scheme, string $body, #[\SensitiveParameter] string $secret, array $options = []): array {}

    /**
     * A new random secret for the scheme: ["secret" => ...], and with $asymmetric (standard only) an
     * Ed25519 pair ["secret" => "whsk_...", "public" => "whpk_..."]. standard: "whsec_" and 32 random
     * bytes in base64; stripe: "whsec_" and 32 random bytes in base64url; others: 32 random bytes in base64url.
     *
     * @return string[]
     */
    public static function generateSecret(string $scheme, bool $asymmetric = false): array {}
}

/**
 * What verified: built only by Webhook::verify().
 *
 * @strict-properties
 * @not-serializable
 */
final class VerifiedWebhook
{
    public readonly string $scheme;
    /** The event id to de-duplicate on (null when the scheme or the request has none). */
    public readonly ?string $id;
    /** The signed unix timestamp (standard, stripe), else null. */
    public readonly ?int $timestamp;
    /** Position in $secrets of the secret that verified. */
    public readonly int $secretIndex;

    private function __construct() {}
}

/** Why a webhook did not verify. */
enum SignatureError
{
    /** A header the scheme needs is absent. */
    case MissingHeader;
    /** A header is present but not in the scheme's syntax (or appears twice). */
    case Malformed;
    /** Well-formed, but no secret produces a matching signature. */
    case Mismatch;
    /** The signed timestamp is older than now - tolerance. */
    case Expired;
    /** The signed timestamp is later than now + tolerance. */
    case NotYetValid;
    /** $secrets is empty. */
    case NoSecret;
    /** The body is larger than max_bytes. */
    case TooLarge;
}

/** A webhook did not verify: nothing from it may be applied. */
final class SignatureException extends Exception
{
    public readonly SignatureError $reason;
}
