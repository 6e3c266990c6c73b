// libcurl for Swift: curl_easy_setopt / curl_easy_getinfo / curl_multi_setopt are variadic,
// which Swift cannot call, so each argument type gets a typed inline wrapper.
#ifndef BALLAST_CCURL_SHIM_H
#define BALLAST_CCURL_SHIM_H

#include <curl/curl.h>

/// CURLAUTH_BASIC is a macro with a cast, which Swift does not import.
static const long ballast_curlauth_basic = (long)CURLAUTH_BASIC;

typedef size_t (*ballast_curl_write_callback)(char *data, size_t size, size_t count, void *userdata);
typedef int (*ballast_curl_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode ballast_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ballast_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ballast_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ballast_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ballast_easy_setopt_write_callback(CURL *handle, CURLoption option, ballast_curl_write_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ballast_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ballast_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ballast_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLMcode ballast_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

/// The easy handle and result of a finished transfer, or NULL handle when the queue is empty.
static inline CURL *ballast_multi_next_done(CURLM *multi, CURLcode *result) {
    int queued = 0;
    CURLMsg *message;
    while ((message = curl_multi_info_read(multi, &queued)) != NULL) {
        if (message->msg == CURLMSG_DONE) {
            *result = message->data.result;
            return message->easy_handle;
        }
    }
    return NULL;
}

#endif
