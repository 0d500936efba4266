package dev.secrets.spi;

/**
 * An object read by {@link ObjectStore#getWithETag}: its bytes and, when the store knows it, its
 * ETag.
 *
 * <p>An ETag identifies one object written at a key: a store that gives ETags gives the same ETag
 * in a {@linkplain ObjectStore#list listing} and in a read of the same object, and a different one
 * for an object written at that key later (after a delete). For S3, the ETag of an object created
 * by one PUT changes with its content; core's objects carry a random write ID, so no two of them
 * have the same content.
 *
 * @param bytes the object's bytes
 * @param etag its ETag, or {@code null} when the store gives none
 */
public record StoredObject(byte[] bytes, String etag) {
}
