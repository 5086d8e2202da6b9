package com.benchsci.deployer.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The longest class of its test JVM, by minutes: {@link TiersFirst} starts it before the other classes of its tier,
 * so it does not begin after them and end its module, and the build, last.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface StartsFirst {}
