// WeChat Work's wx.request: WeChat Work's client carries WeChat's mini-program base library, and
// its own APIs live under wx.qy, none of them a request; so WeChat's model (MODELS.md, "qywx").
'use strict'
module.exports = require('./wx')
