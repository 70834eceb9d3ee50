/** The protocol model: Alloy sources under model/alloy, driven through the Alloy 6 Java API. */
package org.proxyinfo.model;
